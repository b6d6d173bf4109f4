using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Personalization.Triggers.Broadcasts;

/// <summary>Segmentation's address and a read token of its for each tenant whose journeys broadcast to segments.</summary>
public sealed class SegmentationSettings
{
    public const string Section = "Segmentation";

    public Uri? Url { get; set; }
    public Dictionary<string, string> Tokens { get; set; } = [];
}

/// <summary>One page of a segment's members as Segmentation lists them; <see cref="Next"/> is the cursor of the next page, null after the last.</summary>
public sealed record MembersPage(IReadOnlyList<MembersPage.Member> Members, string? Next)
{
    public sealed record Member(string? UserId, string? AnonymousId);
}

/// <summary>Reads a segment's members, page by page, from Segmentation's segments API.</summary>
public sealed class SegmentMembersClient(IHttpClientFactory clients, IOptions<SegmentationSettings> options)
{
    public const int PageSize = 1000;

    public async Task<MembersPage> PageAsync(string tenantId, string segmentId, string? after, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Url is null || !settings.Tokens.TryGetValue(tenantId, out var token))
            throw new InvalidOperationException($"a broadcast needs Segmentation:Url and a read token of tenant '{tenantId}' (Segmentation:Tokens:{tenantId})");
        var path = $"/api/segments/{Uri.EscapeDataString(segmentId)}/members?limit={PageSize}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Url, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await clients.CreateClient(nameof(SegmentMembersClient)).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MembersPage>(cancellationToken)
               ?? throw new InvalidOperationException("Segmentation answered an empty page.");
    }
}
