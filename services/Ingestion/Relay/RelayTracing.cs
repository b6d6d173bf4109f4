using System.Diagnostics;
using Personalization.Contracts.V1;

namespace Personalization.Ingestion.Relay;

/// <summary>
/// Puts each relayed message into the traces of the requests that brought its events: a span that continues the
/// first event's trace and links the others', inside which MassTransit's publish (and so every consumer) follows.
/// </summary>
public static class RelayTracing
{
    public const string SourceName = "Personalization.Ingestion.Relay";

    /// <summary>Enough to find the other traces of a busy page; a message holds up to hundreds of events.</summary>
    private const int MaxLinks = 32;

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartPublish(EventsRecorded message)
    {
        if (!Source.HasListeners()) return null;
        var contexts = message.Events
            .Select(e => ActivityContext.TryParse(e.TraceParent, null, out var context) ? context : (ActivityContext?)null)
            // Lazily, so a page of hundreds of events parses only as many as it links.
            .OfType<ActivityContext>().Distinct().Take(MaxLinks + 1).ToList();
        var parent = contexts.FirstOrDefault();
        var links = contexts.Skip(1).Select(c => new ActivityLink(c));
        var activity = Source.StartActivity("relay EventsRecorded", ActivityKind.Producer, parent, links: links);
        activity?.SetTag("messaging.batch.message_count", message.Events.Count);
        return activity;
    }
}
