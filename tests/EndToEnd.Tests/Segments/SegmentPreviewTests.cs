using System.Net;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Segments.SegmentCalls;

namespace Personalization.EndToEnd.Tests.Segments;

/// <summary>A draft's size on current profiles, before it is saved, judged by the people's own actors.</summary>
public class SegmentPreviewTests
{
    private static Task<(HttpStatusCode Status, JsonElement Body)> PreviewAsync(string json, string query = "") =>
        AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/segments/preview{query}", json);

    [Test]
    public async Task A_draft_is_counted_on_everyone_s_history_and_nothing_is_saved()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var people = Enumerable.Range(0, 5).Select(i => $"preview-{marker}-{i}").ToList();
        var identifies = people.Select(u => JsonSerializer.Serialize(new { type = "identify", userId = u, messageId = $"{u}-id", traits = new { cohort = marker } }));
        using (var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', identifies)}}]}""")))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        for (var i = 0; i < people.Count; i++) await SegmentMembershipTests.ViewAsync(people[i], times: i < 3 ? 2 : 1);
        for (var i = 0; i < people.Count; i++) await Profiles.WithCountAsync(people[i], i < 3 ? 3 : 2);

        var draft = $$$"""
            {"name": "Curious cohort", "condition": {"and": [
                {"trait": "cohort", "equals": "{{{marker}}}"},
                {"performed": "Product Viewed", "atLeast": 2, "within": "7d"}]}}
            """;
        var (status, estimate) = await PreviewAsync(draft, $"?sample={10_000}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), estimate.ToString());
        Assert.That(estimate.GetProperty("exact").GetBoolean(), Is.True, "a sample as large as the tenant is everyone");
        Assert.That(estimate.GetProperty("matched").GetInt32(), Is.EqualTo(3), "two views each, of the five in the cohort");
        Assert.That(estimate.GetProperty("estimate").GetInt64(), Is.EqualTo(3));

        var (_, small) = await PreviewAsync(draft, "?sample=1");
        Assert.That(small.GetProperty("sampled").GetInt32(), Is.EqualTo(1));
        Assert.That(small.GetProperty("low").GetInt64(), Is.LessThanOrEqualTo(small.GetProperty("high").GetInt64()));

        var (_, list) = await AdminAsync(HttpMethod.Get, $"/admin/tenants/{Tenant}/segments");
        Assert.That(list.ToString(), Does.Not.Contain("Curious cohort"), "a preview saves nothing");
        Assert.That((await Profiles.GetAsync(people[0]))!.Segments, Is.Empty, "nor puts anyone in it");
    }

    [Test]
    public async Task Bad_drafts_and_sample_sizes_get_problem_details()
    {
        var (unknown, problem) = await PreviewAsync("""{"name": "Orphan", "condition": {"segment": "no-such-segment"}}""");
        Assert.That(unknown, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").EnumerateObject().Single().Value[0].GetString(), Does.Contain("no-such-segment"));

        var (malformed, parse) = await PreviewAsync("""{"name": "Broken", "condition": {"performed": "Product Viewed", "atLeast": "many"}}""");
        Assert.That(malformed, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(parse.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain("$.condition.atLeast"));

        var (tooMany, sample) = await PreviewAsync("""{"name": "Any", "condition": {"trait": "plan", "exists": true}}""", "?sample=0");
        Assert.That(tooMany, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(sample.GetProperty("errors").TryGetProperty("sample", out _), Is.True);
    }
}
