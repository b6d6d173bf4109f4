using Personalization.Contracts;
using System.Text.Json;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Api;

/// <summary>
/// A request to render a template for a person: <c>userId</c>, and optionally the entry <c>event</c> and the
/// recommendation <c>scenario</c>, with what the endpoint takes besides; faults are collected, not thrown.
/// </summary>
public sealed record RenderRequest(JsonElement Body, string UserId, JsonElement? Event, string? Scenario, Faults Faults)
{
    public static IResult Invalid => JsonBody.NotJson();

    /// <returns>Null when the body is not JSON.</returns>
    public static async Task<RenderRequest?> ReadAsync(HttpRequest request, string[] extra, CancellationToken ct)
    {
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return null;
        var faults = new Faults();
        if (body.ValueKind != JsonValueKind.Object)
        {
            faults.Add("$", "Takes {\"userId\": ..., \"event\": {...}, \"scenario\": ...}.");
            return new RenderRequest(body, "", null, null, faults);
        }
        faults.Unknown("$", body, ["userId", "event", "scenario", .. extra]);
        var userId = faults.RequiredText("$", body, "userId") ?? "";
        var scenario = faults.OptionalText("$", body, "scenario");
        JsonElement? entry = null;
        if (body.TryGetProperty("event", out var e))
        {
            if (e.ValueKind == JsonValueKind.Object) entry = e;
            else faults.Add("$.event", "Takes the entry event as it was sent: an object.");
        }
        return new RenderRequest(body, userId, entry, scenario, faults);
    }
}
