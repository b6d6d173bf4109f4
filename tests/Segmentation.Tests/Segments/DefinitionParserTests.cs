using System.Text.Json;
using Personalization.Contracts;
using Personalization.Contracts.Conditions;
using Personalization.Segmentation.Segments.Definitions;

namespace Personalization.Segmentation.Tests.Segments;

public class DefinitionParserTests
{
    private static (ParsedDefinition? Parsed, Dictionary<string, string[]> Errors) Parse(string json) =>
        DefinitionParser.Parse(JsonDocument.Parse(json).RootElement);

    [Test]
    public void Cart_abandonment_parses_into_a_sequence_with_its_window()
    {
        var (parsed, errors) = Parse("""
            {"name": "Cart abandoners", "condition": {"and": [
              {"performed": "Product Added", "notFollowedBy": "Order Completed", "within": "24h"},
              {"trait": "email", "exists": true}]}}
            """);

        Assert.That(errors, Is.Empty);
        var and = (AllOf)parsed!.Condition;
        var sequence = (NotFollowedBy)and.Parts[0];
        Assert.That(sequence.Within, Is.EqualTo(TimeSpan.FromHours(24)));
        Assert.That(sequence.First.Name, Is.EqualTo("commerce:ProductAdded"), "commerce names match in any spelling");
        Assert.That(sequence.Then.Name, Is.EqualTo("commerce:OrderCompleted"));
        var email = (FieldTest)and.Parts[1];
        Assert.That((email.Source, email.Field, email.Comparisons.Single().Operator), Is.EqualTo((FieldSource.Trait, "email", Operator.Exists)));
    }

    [Test]
    public void Counts_take_a_window_and_property_filters_and_default_to_at_least_once()
    {
        var (parsed, errors) = Parse("""
            {"name": "Shoe browsers", "condition": {"or": [
              {"performed": "product_viewed", "where": {"category": "Shoes", "price": {"gte": 50}}, "atLeast": 3, "within": "P7D"},
              {"performed": "Signed Up"}]}}
            """);

        Assert.That(errors, Is.Empty);
        var or = (AnyOf)parsed!.Condition;
        var views = (EventCount)or.Parts[0];
        Assert.That((views.AtLeast, views.AtMost, views.Within, views.Event.Where.Count), Is.EqualTo((3, (int?)null, TimeSpan.FromDays(7), 2)));
        var signedUp = (EventCount)or.Parts[1];
        Assert.That((signedUp.AtLeast, signedUp.Within, signedUp.Event.Name), Is.EqualTo((1, (TimeSpan?)null, "Signed Up")));
    }

    [Test]
    public void Every_fault_is_reported_at_its_path()
    {
        var (parsed, errors) = Parse("""
            {"name": "", "condition": {"and": [
              {"performed": "Product Viewed", "atLeast": 0, "within": "soon"},
              {"profile": "shoeSize", "gt": 3},
              {"profile": "country", "gt": 3},
              {"trait": "plan", "equal": "pro"},
              {"not": {"trait": "a", "exists": true, "segment": "x"}},
              {"performed": "Product Added", "notFollowedBy": "Order Completed"}]}}
            """);

        Assert.That(parsed, Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(new[]
        {
            "$.name",
            "$.condition.and[0].atLeast",
            "$.condition.and[0].within",
            "$.condition.and[1].profile",
            "$.condition.and[2].gt",
            "$.condition.and[3].equal",
            "$.condition.and[4].not",
            "$.condition.and[5].within",
        }));
        Assert.That(errors["$.condition.and[3].equal"][0], Does.Contain("Unknown operator 'equal'"));
        Assert.That(errors["$.condition.and[1].profile"][0], Does.Contain("shoeSize"));
    }

    [Test]
    public void A_body_that_is_not_an_object_is_refused_at_the_root()
    {
        var (_, errors) = Parse("[1, 2]");
        Assert.That(errors.Keys, Is.EqualTo(new[] { "$" }));
    }

    [Test]
    public void Conditions_nested_too_deep_are_refused()
    {
        var json = string.Concat(Enumerable.Repeat("{\"not\": ", 40)) + "{\"trait\": \"a\", \"exists\": true}" + new string('}', 40);
        var (_, errors) = Parse($$"""{"name": "deep", "condition": {{json}}}""");
        Assert.That(errors.Values.SelectMany(m => m), Has.Some.Contains("nest at most"));
    }

    [TestCase("30m", 30 * 60)]
    [TestCase("24h", 24 * 3600)]
    [TestCase("7d", 7 * 86400)]
    [TestCase("2w", 14 * 86400)]
    [TestCase("PT1H30M", 5400)]
    [TestCase("P1D", 86400)]
    public void Durations_read_short_and_iso_forms(string text, int seconds) =>
        Assert.That(Durations.Parse(text), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase("0h")]
    [TestCase("-1d")]
    [TestCase("7 days")]
    [TestCase("9999d")]
    [TestCase("")]
    public void Durations_that_are_not_positive_and_bounded_are_refused(string text) =>
        Assert.That(Durations.Parse(text), Is.Null);

    [Test]
    public void References_to_unknown_segments_and_cycles_are_refused_naming_the_chain()
    {
        var others = new Dictionary<string, ParsedDefinition>
        {
            ["a"] = Parse("""{"name": "A", "condition": {"segment": "b"}}""").Parsed!,
            ["b"] = Parse("""{"name": "B", "condition": {"trait": "x", "exists": true}}""").Parsed!,
        };
        // b now refers to a, which refers to b.
        var draft = Parse("""{"name": "B", "condition": {"or": [{"segment": "a"}, {"segment": "nope"}, {"segment": "b"}]}}""").Parsed!;

        var errors = SegmentGraph.Check("b", draft, others);

        Assert.That(errors["$.condition.or[0].segment"][0], Does.Contain("b → a → b"));
        Assert.That(errors["$.condition.or[1].segment"][0], Does.Contain("Unknown segment 'nope'"));
        Assert.That(errors["$.condition.or[2].segment"][0], Does.Contain("cannot contain itself"));
    }

    [Test]
    public void Segments_are_ordered_after_those_they_refer_to()
    {
        var segments = new Dictionary<string, ParsedDefinition>
        {
            ["a"] = Parse("""{"name": "A", "condition": {"segment": "c"}}""").Parsed!,
            ["b"] = Parse("""{"name": "B", "condition": {"segment": "a"}}""").Parsed!,
            ["c"] = Parse("""{"name": "C", "condition": {"trait": "x", "exists": true}}""").Parsed!,
        };
        Assert.That(SegmentGraph.DependencyOrder(segments), Is.EqualTo(new[] { "c", "a", "b" }));
    }
}
