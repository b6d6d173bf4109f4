using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

public sealed record CartLine(string ItemId, string? Name, int Quantity, decimal Price);
public sealed record Purchases(int Count, decimal MonetaryTotal, DateTimeOffset? LastPurchaseAt);
public sealed record ViewedItem(string ItemId, string? Name, DateTimeOffset ViewedAt);

/// <summary>The profile as the public API shows it; only what the tests read.</summary>
public sealed record Profile(
    string TenantId,
    string UserKey,
    long EventCount,
    long ExcludedEvents,
    Dictionary<string, long> CountsByEvent,
    int SessionCount,
    List<ViewedItem> RecentlyViewed,
    Dictionary<string, CartLine> Cart,
    decimal CartValue,
    Purchases Purchases,
    Dictionary<string, JsonElement> Traits,
    Dictionary<string, DateTimeOffset> Segments);

public static class Profiles
{
    public static async Task<(HttpStatusCode Status, string Body)> GetRawAsync(string userId, string token = ReadToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/profiles/{Uri.EscapeDataString(userId)}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await Segmentation.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<Profile?> GetAsync(string userId, string token = ReadToken)
    {
        var (status, body) = await GetRawAsync(userId, token);
        return status == HttpStatusCode.NotFound ? null : JsonSerializer.Deserialize<Profile>(body, JsonSerializerOptions.Web);
    }

    public static Task<Profile?> WithCountAsync(string userId, long count, string token = ReadToken) =>
        TestSupport.Eventually.ReturnsAsync(() => GetAsync(userId, token), p => p?.EventCount >= count, TimeSpan.FromSeconds(60), $"{userId}'s profile to count {count} events");
}
