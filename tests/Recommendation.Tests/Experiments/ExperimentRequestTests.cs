using System.Text.Json;
using Personalization.Recommendation.Experiments;

namespace Personalization.Recommendation.Tests.Experiments;

public class ExperimentRequestTests
{
    private static ExperimentRequest.Parsed Parse(string json) => ExperimentRequest.Parse(JsonDocument.Parse(json).RootElement);

    [Test]
    public void A_full_definition_reads_with_its_variants_settings_and_holdout()
    {
        var parsed = Parse("""
            {"scenario": "homepage", "control": "current", "expectedEffect": 0.2, "note": "v7 against v6",
             "variants": [{"name": "current", "weight": 45}, {"name": "v7", "weight": 45, "settings": {"modelVersion": 7, "diversity": 0.3}},
                          {"name": "holdout", "weight": 10, "popularityOnly": true}]}
            """);

        Assert.That(parsed.Errors, Is.Empty);
        var definition = parsed.Definition!;
        Assert.That(definition.Scenario, Is.EqualTo("homepage"));
        Assert.That(definition.Control, Is.EqualTo("current"));
        Assert.That(definition.ExpectedEffect, Is.EqualTo(0.2));
        Assert.That(definition.Find("v7")!.Settings!.ModelVersion, Is.EqualTo(7));
        Assert.That(definition.Find("v7")!.Settings!.Diversity, Is.EqualTo(0.3));
        Assert.That(definition.Find("holdout")!.PopularityOnly, Is.True);
    }

    [Test]
    public void A_placement_experiment_reads_its_versions_and_its_fallback_holdout()
    {
        var parsed = Parse("""
            {"placement": "checkout-offer", "variants": [{"name": "v3", "weight": 1, "placementVersion": 3},
             {"name": "latest", "weight": 1}, {"name": "none", "weight": 1, "fallbackOnly": true}]}
            """);

        Assert.That(parsed.Errors, Is.Empty);
        var definition = parsed.Definition!;
        Assert.That((definition.Scenario, definition.Placement, definition.Target), Is.EqualTo(((string?)null, "checkout-offer", "placement:checkout-offer")));
        Assert.That(definition.Find("v3")!.PlacementVersion, Is.EqualTo(3));
        Assert.That(definition.Find("latest")!.PlacementVersion, Is.Null);
        Assert.That(definition.Find("none")!.IsHoldout, Is.True);
    }

    [Test]
    public void The_first_variant_is_the_control_and_the_effect_defaults_to_ten_percent()
    {
        var definition = Parse("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}""").Definition!;

        Assert.That(definition.Control, Is.EqualTo("a"));
        Assert.That(definition.ExpectedEffect, Is.EqualTo(ExperimentDefinition.DefaultExpectedEffect));
    }

    [TestCase("""{"variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}""", "scenario")]
    [TestCase("""{"scenario": "s", "placement": "p", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}""", "scenario")]
    [TestCase("""{"placement": "Not A Placement", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}""", "placement")]
    [TestCase("""{"placement": "p", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "settings": {"count": 3}}]}""", "variants[1].settings")]
    [TestCase("""{"placement": "p", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "popularityOnly": true}]}""", "variants[1].popularityOnly")]
    [TestCase("""{"placement": "p", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "placementVersion": 0}]}""", "variants[1].placementVersion")]
    [TestCase("""{"placement": "p", "variants": [{"name": "a", "weight": 1, "fallbackOnly": true}, {"name": "b", "weight": 1}]}""", "control")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "placementVersion": 2}]}""", "variants[1].placementVersion")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}]}""", "variants")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "a", "weight": 1}]}""", "variants")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 0}, {"name": "b", "weight": 0}]}""", "variants")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "A B", "weight": 1}, {"name": "b", "weight": 1}]}""", "variants[0].name")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": -2}]}""", "variants[1].weight")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": "1"}]}""", "variants[1].weight")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, "b"]}""", "variants[1]")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "settings": {"filter": "price <"}}]}""", "variants[1].settings.filter")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "settings": {"diversity": 3}}]}""", "variants[1].settings.diversity")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1, "settings": {"context": {"country": "DE"}}}]}""", "variants[1].settings")]
    [TestCase("""{"scenario": "s", "control": "c", "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}""", "control")]
    [TestCase("""{"scenario": "s", "variants": [{"name": "a", "weight": 1, "popularityOnly": true}, {"name": "b", "weight": 1}]}""", "control")]
    [TestCase("""{"scenario": "s", "expectedEffect": 0, "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}""", "expectedEffect")]
    public void A_mistake_is_named_by_its_path(string json, string path)
    {
        var parsed = Parse(json);

        Assert.That(parsed.Definition, Is.Null);
        Assert.That(parsed.Errors.Keys, Does.Contain(path), string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")));
    }
}
