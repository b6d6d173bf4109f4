using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Ingestion.Relay;

namespace Personalization.Ingestion.Tests.Relay;

public class RelayMessagesTests
{
    private static long _sequence;

    private static EventRecorded Event(string user, long version) => new(
        Guid.NewGuid(), ++_sequence, "t", "web", StreamKey.ForUser("t", user).ToString(), version, $"{user}-{version}",
        EventTypes.Track, "Product Viewed", user, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { }));

    private static string Names(EventsRecorded message) => string.Join(" ", message.Events.Select(e => e.MessageId));

    [Test]
    public void A_page_is_packed_in_log_order_with_each_streams_events_together()
    {
        var page = new[] { Event("a", 1), Event("b", 1), Event("a", 2), Event("c", 1), Event("b", 2), Event("d", 1) };

        var messages = RelayMessages.Pack(page, eventsPerMessage: 3);

        Assert.That(messages.Select(Names), Is.EqualTo(new[] { "a-1 a-2", "b-1 b-2 c-1", "d-1" }));
    }

    [Test]
    public void A_stream_with_more_events_than_a_message_holds_stays_in_one_message()
    {
        var page = new[] { Event("a", 1), Event("b", 1), Event("b", 2), Event("b", 3), Event("c", 1) };

        var messages = RelayMessages.Pack(page, eventsPerMessage: 2);

        Assert.That(messages.Select(Names), Is.EqualTo(new[] { "a-1", "b-1 b-2 b-3", "c-1" }));
    }

    [Test]
    public void Every_event_is_packed_exactly_once()
    {
        var random = new Random(7);
        var page = Enumerable.Range(0, 1_000).Select(i => Event($"u{random.Next(50)}", i)).ToList();

        var messages = RelayMessages.Pack(page, eventsPerMessage: 64);

        Assert.That(messages.SelectMany(m => m.Events).Select(e => e.EventId), Is.EquivalentTo(page.Select(e => e.EventId)));
        Assert.That(messages.SelectMany(m => m.Events.Select(e => (m, e.StreamKey))).Distinct().GroupBy(x => x.StreamKey).All(g => g.Count() == 1),
            "no stream is split over messages");
        Assert.That(messages.All(m => m.Events.Count >= 1));
    }

    [Test]
    public void An_empty_page_makes_no_message() =>
        Assert.That(RelayMessages.Pack([], eventsPerMessage: 10), Is.Empty);
}
