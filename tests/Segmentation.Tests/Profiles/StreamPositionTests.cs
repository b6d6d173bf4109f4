using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Tests.Profiles;

public class StreamPositionTests
{
    private static EventRecorded Version(long version) => new(
        Guid.NewGuid(), version, "t", "web", StreamKey.ForUser("t", "u").ToString(), version, $"m-{version}", EventTypes.Track, "x", "u", null,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { }));

    [Test]
    public void Events_in_order_are_applied_one_by_one()
    {
        var position = new StreamPosition();

        Assert.That(position.Accept(Version(1)).Select(e => e.StreamVersion), Is.EqualTo(new[] { 1L }));
        Assert.That(position.Accept(Version(2)).Select(e => e.StreamVersion), Is.EqualTo(new[] { 2L }));
        Assert.That(position.Version, Is.EqualTo(2));
    }

    [Test]
    public void An_early_event_waits_for_the_gap_and_then_all_are_applied_in_order()
    {
        var position = new StreamPosition();

        Assert.That(position.Accept(Version(3)), Is.Empty);
        Assert.That(position.Accept(Version(2)), Is.Empty);
        Assert.That(position.Waiting.Keys, Is.EqualTo(new[] { 2L, 3L }));

        Assert.That(position.Accept(Version(1)).Select(e => e.StreamVersion), Is.EqualTo(new[] { 1L, 2L, 3L }));
        Assert.That(position.Waiting, Is.Empty);
        Assert.That(position.Version, Is.EqualTo(3));
    }

    [Test]
    public void After_an_erasure_events_received_until_then_are_dropped_and_later_ones_start_a_new_stream()
    {
        var erasedAt = DateTimeOffset.UnixEpoch.AddHours(1);
        var position = new StreamPosition { ErasedAt = erasedAt };

        Assert.That(position.Accept(Version(1)), Is.Empty, "received before the erasure");
        Assert.That(position.Accept(Version(4)), Is.Empty);
        Assert.That(position.Waiting, Is.Empty, "nothing erased is held back either");

        var comeBack = Version(1) with { ReceivedAt = erasedAt.AddSeconds(1) };
        Assert.That(position.Accept(comeBack).Single(), Is.SameAs(comeBack));
        Assert.That(position.Version, Is.EqualTo(1));
    }

    [Test]
    public void A_redelivered_event_is_ignored_whether_applied_or_waiting()
    {
        var position = new StreamPosition();
        position.Accept(Version(1));
        position.Accept(Version(3));

        Assert.That(position.Accept(Version(1)), Is.Empty);
        Assert.That(position.Accept(Version(3)), Is.Empty);
        Assert.That(position.Version, Is.EqualTo(1));
        Assert.That(position.Waiting.Keys, Is.EqualTo(new[] { 3L }));
    }

    [Test]
    public void Position_survives_a_json_round_trip_as_actor_state()
    {
        var position = new StreamPosition();
        position.Accept(Version(1));
        position.Accept(Version(4));

        var restored = JsonSerializer.Deserialize<StreamPosition>(JsonSerializer.Serialize(position, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.That(restored.Version, Is.EqualTo(1));
        Assert.That(restored.Accept(Version(2)).Select(e => e.StreamVersion), Is.EqualTo(new[] { 2L }));
        Assert.That(restored.Accept(Version(3)).Select(e => e.StreamVersion), Is.EqualTo(new[] { 3L, 4L }));
    }
}
