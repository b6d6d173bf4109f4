using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Screening;

/// <summary>
/// Flags events that must not shape profiles or models: known bots by user agent, bursts faster than a person,
/// and withheld consent for personalization. Flagged events are still stored.
/// Consent is read from Segment's <c>context.consent.categoryPreferences</c> and Rudder's
/// <c>context.consentManagement.deniedConsentIds</c>.
/// </summary>
public sealed class EventScreening(IOptions<ScreeningOptions> options, BurstDetector bursts)
{
    // Common crawlers, link previewers, monitors and HTTP libraries; browsers never send these words.
    private const string KnownBots =
        @"bot\b|bot/|crawler|spider|crawling|slurp|bingpreview|facebookexternalhit|headlesschrome|phantomjs|lighthouse|" +
        @"pingdom|uptimerobot|python-requests|python-urllib|curl/|wget/|go-http-client|java/|okhttp|apache-httpclient|scrapy";

    // Non-backtracking: linear in the agent's length whatever patterns are configured, so no timeout is needed, and
    // none can fire on a busy node (a 50 ms timeout did under load, failing the whole request).
    private readonly Regex _bots = new(
        string.Join('|', options.Value.BotUserAgents.Prepend(KnownBots)),
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    public IReadOnlyList<EventAccepted> Screen(IReadOnlyList<EventAccepted> events)
    {
        var screened = new List<EventAccepted>(events.Count);
        foreach (var e in events)
        {
            var flags = EventFlags.None;
            var context = e.Payload.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            if (UserAgent(context) is { } agent && _bots.IsMatch(agent)) flags |= EventFlags.KnownBot;
            if (!ConsentsToPersonalization(context)) flags |= EventFlags.NoConsent;
            if (bursts.IsBurst(e.StreamKey, e.ReceivedAt)) flags |= EventFlags.Burst;
            screened.Add(flags == EventFlags.None ? e : e with { Flags = flags });
        }
        return screened;
    }

    private static string? UserAgent(JsonElement context) =>
        context.ValueKind == JsonValueKind.Object && context.TryGetProperty("userAgent", out var agent) && agent.ValueKind == JsonValueKind.String
            ? agent.GetString()
            : null;

    private bool ConsentsToPersonalization(JsonElement context)
    {
        var categories = options.Value.ConsentCategories;
        bool IsPersonalization(string name) => categories.Any(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));

        if (context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("consent", out var consent) && consent.ValueKind == JsonValueKind.Object
            && consent.TryGetProperty("categoryPreferences", out var preferences) && preferences.ValueKind == JsonValueKind.Object)
        {
            foreach (var preference in preferences.EnumerateObject())
                if (IsPersonalization(preference.Name))
                    return preference.Value.ValueKind == JsonValueKind.True;
        }

        if (context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("consentManagement", out var managed) && managed.ValueKind == JsonValueKind.Object)
        {
            if (managed.TryGetProperty("deniedConsentIds", out var denied) && denied.ValueKind == JsonValueKind.Array
                && denied.EnumerateArray().Any(id => id.ValueKind == JsonValueKind.String && IsPersonalization(id.GetString()!)))
                return false;
            if (managed.TryGetProperty("allowedConsentIds", out var allowed) && allowed.ValueKind == JsonValueKind.Array
                && allowed.EnumerateArray().Any(id => id.ValueKind == JsonValueKind.String && IsPersonalization(id.GetString()!)))
                return true;
        }

        return !options.Value.RequireExplicitConsent;
    }
}
