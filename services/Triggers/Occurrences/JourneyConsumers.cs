using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.Triggers.Occurrences;

/// <summary>The person's events, for journeys (its queue is Triggers' own, named after the class, beside Segmentation's).</summary>
public sealed class JourneyEventConsumer(OccurrenceRouter router) : IConsumer<EventsRecorded>
{
    public Task Consume(ConsumeContext<EventsRecorded> context) => router.RouteAsync(context.Message.Events, context.CancellationToken);
}

/// <summary>Segment entries, for journeys that start on them.</summary>
public sealed class JourneySegmentConsumer(OccurrenceRouter router) : IConsumer<SegmentEntered>
{
    public Task Consume(ConsumeContext<SegmentEntered> context) => router.RouteAsync(context.Message, context.CancellationToken);
}
