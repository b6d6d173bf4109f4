using System.Diagnostics;
using Personalization.Contracts.V1;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Relay;

/// <summary>
/// Puts each relayed message into the traces of the requests that brought its events: a span that continues the
/// first event's trace and links the others', inside which MassTransit's publish (and so every consumer) follows.
/// </summary>
public static class RelayTracing
{
    public const string SourceName = "Personalization.Ingestion.Relay";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartPublish(EventsRecorded message)
    {
        var activity = Source.StartContinuing("relay EventsRecorded", ActivityKind.Producer, message.Events.Select(e => e.TraceParent));
        activity?.SetTag("messaging.batch.message_count", message.Events.Count);
        return activity;
    }
}
