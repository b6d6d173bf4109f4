using System.Net;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Recommendations;

/// <summary>A/B experiments on a scenario, over the same trained tenant: sticky variants, a popularity-only holdout, weights for new people only, stop and promote.</summary>
public partial class ServingTests
{
    private sealed record ArmAnswer(string RecommendationId, string? Experiment, string? Variant, Recommended[] Items);

    private async Task<(HttpStatusCode Status, JsonElement Body)> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await _recommendation.Client.SendAsync(Admin(method, $"/admin/tenants/{_tenant}{path}", body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<ArmAnswer> ArmAsync(string user, string scenario)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, $"/v1/recommendations/users/{user}?scenario={scenario}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonSerializer.Deserialize<ArmAnswer>(body, JsonSerializerOptions.Web)!;
    }

    private static object Variants(double control, double holdout, object? controlSettings = null) => new[]
    {
        new { name = "control", weight = control, settings = controlSettings, popularityOnly = false },
        new { name = "holdout", weight = holdout, settings = (object?)null, popularityOnly = true },
    };

    [Test]
    public async Task An_experiment_keeps_each_person_in_one_variant_and_moves_only_new_people_when_weights_change()
    {
        Assert.That((await AdminAsync(HttpMethod.Put, "/scenarios/exp-home", new { count = 5 })).Status, Is.EqualTo(HttpStatusCode.Created));
        var (created, experiment) = await AdminAsync(HttpMethod.Put, "/experiments/home-holdout",
            new { scenario = "exp-home", variants = Variants(1, 1), expectedEffect = 0.2 });
        Assert.That(created, Is.EqualTo(HttpStatusCode.Created), experiment.ToString());
        Assert.That(experiment.GetProperty("state").GetString(), Is.EqualTo("running"));

        var first = new Dictionary<string, string>();
        for (var n = 0; n < 30; n++)
        {
            var answer = await ArmAsync($"shopper-{n}", "exp-home");
            Assert.That(answer.Experiment, Is.EqualTo("home-holdout"));
            Assert.That(answer.RecommendationId, Does.EndWith($".exp-home.home-holdout.{answer.Variant}"), "the id carries the arm to the tracking events");
            first[$"shopper-{n}"] = answer.Variant!;
            if (answer.Variant == "holdout")
                Assert.That(answer.Items.SelectMany(i => i.ProposedBy).Distinct(), Is.EqualTo(new[] { "popularity-by-context" }), "a holdout gets popular items only");
        }
        Assert.That(first.Values.Distinct().Order(), Is.EqualTo(new[] { "control", "holdout" }), "30 people fall in both halves");
        foreach (var (user, variant) in first.Take(10))
            Assert.That((await ArmAsync(user, "exp-home")).Variant, Is.EqualTo(variant), "asking again keeps the variant");

        var (updated, _) = await AdminAsync(HttpMethod.Put, "/experiments/home-holdout", new { scenario = "exp-home", variants = Variants(0, 1) });
        Assert.That(updated, Is.EqualTo(HttpStatusCode.OK));
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the serving cache of the running experiment
        foreach (var (user, variant) in first)
            Assert.That((await ArmAsync(user, "exp-home")).Variant, Is.EqualTo(variant), $"{user} keeps the variant they were given");
        for (var n = 0; n < 10; n++)
            Assert.That((await ArmAsync($"newcomer-{n}", "exp-home")).Variant, Is.EqualTo("holdout"), "new people follow the new weights");

        var (_, read) = await AdminAsync(HttpMethod.Get, "/experiments/home-holdout");
        var people = read.GetProperty("people");
        Assert.That(people.GetProperty("control").GetInt64() + people.GetProperty("holdout").GetInt64(), Is.EqualTo(40));
        Assert.That(people.GetProperty("control").GetInt64(), Is.EqualTo(first.Values.Count(v => v == "control")));

        var (refused, _) = await AdminAsync(HttpMethod.Post, "/experiments/home-holdout/stop", new { promote = "holdout" });
        Assert.That(refused, Is.EqualTo(HttpStatusCode.BadRequest), "a holdout cannot be promoted");
        var (stopped, result) = await AdminAsync(HttpMethod.Post, "/experiments/home-holdout/stop", new { promote = "control" });
        Assert.That(stopped, Is.EqualTo(HttpStatusCode.OK), result.ToString());
        Assert.That(result.GetProperty("experiment").GetProperty("promoted").GetString(), Is.EqualTo("control"));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var after = await ArmAsync("newcomer-1", "exp-home");
        Assert.That((after.Experiment, after.Variant), Is.EqualTo(((string?)null, (string?)null)), "a stopped experiment serves the scenario as it is");
        Assert.That((await AdminAsync(HttpMethod.Put, "/experiments/home-holdout", new { scenario = "exp-home", variants = Variants(1, 1) })).Status,
            Is.EqualTo(HttpStatusCode.Conflict), "a stopped experiment is final");
    }

    [Test]
    public async Task Stopping_with_a_promotion_gives_the_scenario_the_winning_settings()
    {
        Assert.That((await AdminAsync(HttpMethod.Put, "/scenarios/exp-promote", new { count = 5 })).Status, Is.EqualTo(HttpStatusCode.Created));
        var body = new
        {
            scenario = "exp-promote",
            variants = new object[] { new { name = "five", weight = 1 }, new { name = "three", weight = 1, settings = new { count = 3, diversity = 0.4 } } },
        };
        Assert.That((await AdminAsync(HttpMethod.Put, "/experiments/count-test", body)).Status, Is.EqualTo(HttpStatusCode.Created));
        var arms = new List<ArmAnswer>();
        for (var n = 0; n < 20; n++) arms.Add(await ArmAsync($"shopper-{n}", "exp-promote"));
        Assert.That(arms.Where(a => a.Variant == "three"), Has.All.Matches<ArmAnswer>(a => a.Items.Length == 3), "a variant's settings apply over the scenario's");
        Assert.That(arms.Where(a => a.Variant == "five"), Has.All.Matches<ArmAnswer>(a => a.Items.Length == 5));

        Assert.That((await AdminAsync(HttpMethod.Put, "/experiments/second-on-same", body)).Status, Is.EqualTo(HttpStatusCode.Conflict),
            "one experiment runs on a scenario at a time");
        var (stopped, result) = await AdminAsync(HttpMethod.Post, "/experiments/count-test/stop", new { promote = "three" });
        Assert.That(stopped, Is.EqualTo(HttpStatusCode.OK), result.ToString());
        Assert.That(result.GetProperty("promotedTo").GetProperty("definition").GetProperty("count").GetInt32(), Is.EqualTo(3));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.That((await ArmAsync("shopper-1", "exp-promote")).Items, Has.Length.EqualTo(3), "the scenario now serves the winner's settings to everyone");
    }

    [Test]
    public async Task Bad_experiments_are_400s_naming_the_field_and_other_tenants_see_none()
    {
        Assert.That((await AdminAsync(HttpMethod.Put, "/scenarios/exp-bad", new { count = 5 })).Status, Is.EqualTo(HttpStatusCode.Created));
        async Task AssertInvalidAsync(object body, string field, string id = "bad")
        {
            var (status, problem) = await AdminAsync(HttpMethod.Put, $"/experiments/{id}", body);
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
        }
        await AssertInvalidAsync(new { scenario = "no-such-scenario", variants = Variants(1, 1) }, "scenario");
        await AssertInvalidAsync(new { scenario = "exp-bad", variants = Variants(1, 1, new { modelVersion = 999 }) }, "variants[0].settings.modelVersion");
        await AssertInvalidAsync(new { scenario = "exp-bad", variants = Variants(1, -1) }, "variants[1].weight");
        await AssertInvalidAsync(new { scenario = "exp-bad", variants = Variants(1, 1, new { filter = "price <" }) }, "variants[0].settings.filter");
        Assert.That((await AdminAsync(HttpMethod.Put, "/experiments/Not%20An%20Id", new { scenario = "exp-bad", variants = Variants(1, 1) })).Status,
            Is.EqualTo(HttpStatusCode.BadRequest));

        Assert.That((await AdminAsync(HttpMethod.Put, "/experiments/keep-variants", new { scenario = "exp-bad", variants = Variants(1, 1) })).Status,
            Is.EqualTo(HttpStatusCode.Created));
        await AssertInvalidAsync(new { scenario = "exp-bad", variants = new[] { new { name = "control", weight = 1 }, new { name = "other", weight = 1 } } }, "variants", "keep-variants");
        using (var other = await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/another-{_tenant}/experiments/keep-variants")))
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another tenant has no such experiment");
        Assert.That((await AdminAsync(HttpMethod.Post, "/experiments/keep-variants/stop")).Status, Is.EqualTo(HttpStatusCode.OK));
    }
}
