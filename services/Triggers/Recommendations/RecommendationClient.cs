using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Recommendations;

/// <summary>
/// Asks the Recommendation service for a person's items at send time, with the send step's scenario. Any failure
/// (not configured, no token for the tenant, an outage, a timeout, no model yet) is null: the message then goes out
/// with its template's fallback parts.
/// </summary>
public sealed class RecommendationClient(HttpClient http, IOptions<RecommendationSettings> options, ILogger<RecommendationClient> logger)
{
    public async Task<RecommendationList?> ForAsync(string tenantId, string userId, string? scenario, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Url is null || !settings.Tokens.TryGetValue(tenantId, out var token)) return null;
        var query = $"count={settings.Count}" + (scenario is null ? "" : $"&scenario={Uri.EscapeDataString(scenario)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Url, $"/v1/recommendations/users/{Uri.EscapeDataString(userId)}?{query}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.SendAsync(request, bounded.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Recommendations for tenant {Tenant} answered {Status}; the message falls back", tenantId, (int)response.StatusCode);
                return null;
            }
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(bounded.Token));
            return new RecommendationList(answer.RootElement.GetProperty("recommendationId").GetString()!, Items(answer.RootElement.GetProperty("items")));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException
                                  && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Recommendations for tenant {Tenant} could not be had; the message falls back", tenantId);
            return null;
        }
    }

    /// <summary>Each item as templates read it: its id, its catalog summary flattened beside it, and its score.</summary>
    private static JsonElement Items(JsonElement items) => JsonSerializer.SerializeToElement(items.EnumerateArray().Select(item =>
    {
        var summary = item.TryGetProperty("item", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        string? Text(string name) => summary.ValueKind == JsonValueKind.Object && summary.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new
        {
            itemId = item.GetProperty("itemId").GetString(),
            title = Text("title"),
            category = Text("category"),
            price = summary.ValueKind == JsonValueKind.Object && summary.TryGetProperty("price", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDecimal() : (decimal?)null,
            currency = Text("currency"),
            score = item.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble() : 0,
        };
    }).ToList());
}
