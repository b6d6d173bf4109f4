using System.Text.Json;

namespace Personalization.Contracts;

/// <summary>Which anonymous id a call ties to its user: identify's anonymousId, alias's previousId (Segment spec).</summary>
public static class IdentityLink
{
    public static string? AnonymousIdLinkedBy(string type, string? userId, string? anonymousId, JsonElement payload) => userId is null ? null : type switch
    {
        EventTypes.Identify => anonymousId,
        EventTypes.Alias when payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("previousId", out var previous) => previous.ValueKind switch
        {
            JsonValueKind.String => previous.GetString(),
            JsonValueKind.Number => previous.GetRawText(),
            _ => null,
        },
        _ => null,
    };
}
