using Personalization.Recommendation.Serving;

namespace Personalization.Recommendation.Tests.Serving;

public class ResponseOriginTests
{
    [Test]
    public void An_id_carries_its_model_version_scenario_experiment_and_variant()
    {
        var origin = new ResponseOrigin(7, "homepage", "new-ranker", "v7");
        var id = origin.NewId();

        Assert.That(ResponseOrigin.Of(id), Is.EqualTo(origin));
        Assert.That(id, Does.EndWith(".7.homepage.new-ranker.v7"));
        Assert.That(origin.NewId(), Is.Not.EqualTo(id), "every response has its own id");
    }

    [Test]
    public void Missing_parts_stay_empty()
    {
        var origin = new ResponseOrigin(3, null, null, null);

        Assert.That(ResponseOrigin.Of(origin.NewId()), Is.EqualTo(origin));
    }

    [TestCase("0193a4b2-7c1d-7e3f-9a8b-1c2d3e4f5a6b")]
    [TestCase("made-up")]
    [TestCase("a.b.c.d.e")]
    [TestCase("")]
    public void An_id_of_another_shape_has_an_unknown_origin(string id)
    {
        Assert.That(ResponseOrigin.Of(id), Is.EqualTo(ResponseOrigin.Unknown));
    }
}
