using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Interactions;

public class EventLogInteractionsTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static EventRecorded Track(string name, string payload, EventFlags flags = EventFlags.None, string? user = "u1") => new(
        Guid.NewGuid(), 1, "t", "s", "t/u1", 1, "m", EventTypes.Track, name, user, user is null ? "anon" : null, At, At,
        JsonDocument.Parse(payload).RootElement, flags);

    [Test]
    public void Ecommerce_events_become_weighted_types_with_their_country()
    {
        var viewed = EventLogInteractions.From(Track("Product Viewed",
            """{"properties":{"product_id":"p1"},"context":{"location":{"country":"FR"}}}""")).Single();
        var added = EventLogInteractions.From(Track("Product Added", """{"properties":{"product_id":42}}""")).Single();
        var ordered = EventLogInteractions.From(Track("Order Completed",
            """{"properties":{"products":[{"product_id":"p1"},{"product_id":"p2"}]},"context":{"device":{"type":"mobile"}}}""")).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(viewed, Is.EqualTo(new Interaction("u1", "p1", At.UtcDateTime, InteractionTypes.View, null, "FR")));
            Assert.That(added, Is.EqualTo(new Interaction("u1", "42", At.UtcDateTime, InteractionTypes.AddToCart)));
            Assert.That(ordered.Select(o => (o.Item, o.Type, o.Context)), Is.EqualTo(new[]
            {
                ("p1", InteractionTypes.Purchase, "mobile"),
                ("p2", InteractionTypes.Purchase, "mobile"),
            }));
        });
    }

    [TestCase(EventFlags.KnownBot)]
    [TestCase(EventFlags.Burst)]
    [TestCase(EventFlags.NoConsent)]
    public void Flagged_events_shape_no_model(EventFlags flag)
    {
        Assert.That(EventLogInteractions.From(Track("Product Viewed", """{"properties":{"product_id":"p1"}}""", flag)), Is.Empty);
    }

    [Test]
    public void Anonymous_events_count_for_their_anonymous_id_apart_from_user_ids_and_other_events_give_nothing()
    {
        Assert.That(EventLogInteractions.From(Track("Product Viewed", """{"properties":{"product_id":"p1"}}""", user: null)).Single().User,
            Is.EqualTo("anonymous:anon"));
        Assert.That(EventLogInteractions.From(Track("Signed Up", """{"properties":{"product_id":"p1"}}""")), Is.Empty);
    }
}
