using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.TrackingPlans;

namespace Personalization.Ingestion.Tests.TrackingPlans;

public class PlanCheckTests
{
    private const string OrderSchema = """
        {"type":"object","required":["order_id","revenue"],
         "properties":{"order_id":{"type":"string"},"revenue":{"type":"number","minimum":0}}}
        """;

    private static Task<PlanCheck> PlanAsync(params (string Name, string Schema)[] schemas) => PlanCheck.CompileAsync(
        new TrackingPlan("t/web", "t", "web", 3, schemas.ToDictionary(s => s.Name, s => s.Schema), DateTimeOffset.UnixEpoch));

    private static EventAccepted Event(string type, string? name, object body) => new(
        "t", "web", Guid.NewGuid().ToString(), type, name, "u", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
        JsonSerializer.SerializeToElement(body));

    [Test]
    public async Task An_event_that_matches_its_schema_passes()
    {
        var plan = await PlanAsync(("Order Completed", OrderSchema));

        Assert.That(plan.Check(Event(EventTypes.Track, "Order Completed", new { properties = new { order_id = "o1", revenue = 9.5 } })), Is.Empty);
    }

    [Test]
    public async Task Each_breach_is_named_with_its_field()
    {
        var plan = await PlanAsync(("Order Completed", OrderSchema));

        var reasons = plan.Check(Event(EventTypes.Track, "Order Completed", new { properties = new { revenue = -1 } }));

        Assert.That(reasons, Has.Count.EqualTo(2));
        Assert.That(reasons, Has.Some.Contains("order_id").And.Some.Contains("PropertyRequired"));
        Assert.That(reasons, Has.Some.Contains("revenue").And.Some.Contains("NumberTooSmall"));
    }

    [Test]
    public async Task Events_the_plan_does_not_name_pass()
    {
        var plan = await PlanAsync(("Order Completed", OrderSchema));

        Assert.That(plan.Check(Event(EventTypes.Track, "Product Viewed", new { properties = new { } })), Is.Empty);
        Assert.That(plan.Check(Event(EventTypes.Page, "Home", new { })), Is.Empty);
    }

    [Test]
    public async Task Identify_calls_are_checked_on_their_traits()
    {
        var plan = await PlanAsync(("identify", """{"type":"object","required":["email"]}"""));

        Assert.That(plan.Check(Event(EventTypes.Identify, null, new { traits = new { email = "a@example.com" } })), Is.Empty);
        Assert.That(plan.Check(Event(EventTypes.Identify, null, new { traits = new { name = "A" } })), Has.Some.Contains("traits"));
    }

    [Test]
    public async Task A_missing_properties_object_is_checked_as_empty()
    {
        var plan = await PlanAsync(("Order Completed", OrderSchema));

        Assert.That(plan.Check(Event(EventTypes.Track, "Order Completed", new { })), Has.Count.EqualTo(2));
    }
}
