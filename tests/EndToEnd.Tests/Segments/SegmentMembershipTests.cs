using System.Net;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Segments.SegmentCalls;

namespace Personalization.EndToEnd.Tests.Segments;

/// <summary>Who is in a segment, read as a tenant's apps would, and how a new definition reaches people already there.</summary>
public class SegmentMembershipTests
{
    internal static async Task ViewAsync(string user, int times)
    {
        var batch = Enumerable.Range(1, times).Select(n => JsonSerializer.Serialize(new
        {
            type = "track", @event = "Product Viewed", userId = user, messageId = $"{user}-view-{n}",
            timestamp = DateTimeOffset.UtcNow.AddMinutes(-10 + n).ToString("O"), properties = new { product_id = $"sku-{n}" },
        }));
        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', batch)}}]}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_new_definition_reaches_people_who_did_it_before_it_existed_and_shows_its_progress()
    {
        var (keen, casual) = ("keen-" + Guid.NewGuid().ToString("N")[..8], "casual-" + Guid.NewGuid().ToString("N")[..8]);
        await ViewAsync(keen, 3);
        await ViewAsync(casual, 1);
        await Profiles.WithCountAsync(keen, 3);
        await Profiles.WithCountAsync(casual, 1);
        await using var listener = await SegmentTransitionsListener.StartAsync();

        var segment = "keen-" + Guid.NewGuid().ToString("N")[..8];
        await DefineAsync(segment, """{"name": "Keen viewers", "condition": {"performed": "Product Viewed", "atLeast": 3, "within": "7d"}}""", HttpStatusCode.Created);

        await Eventually.ReturnsAsync(() => Task.FromResult(listener.Entered(segment, $"{Tenant}/user:{keen}")), e => e.Count > 0, TimeSpan.FromSeconds(90), "the keen viewer's entry, with no new event");
        var status = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await Segmentation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/segments/{segment}"));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("catchUp").Clone();
        }, s => s.GetProperty("state").GetString() == "done", TimeSpan.FromSeconds(120), "the catch-up run to finish");
        Assert.That(status.GetProperty("done").GetInt64(), Is.GreaterThanOrEqualTo(2));
        Assert.That(listener.Entered(segment, $"{Tenant}/user:{casual}"), Is.Empty, "one view is not three");

        var (_, count) = await ReadAsync($"/api/segments/{segment}");
        Assert.That(count.GetProperty("members").GetInt64(), Is.GreaterThanOrEqualTo(1));
        var (_, page) = await ReadAsync($"/api/segments/{segment}/members?limit=1000");
        var members = page.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()).ToList();
        Assert.That(members, Does.Contain(keen).And.Not.Contain(casual));
        var (_, mine) = await ReadAsync($"/api/profiles/{keen}/segments");
        Assert.That(mine.EnumerateArray().Select(s => s.GetProperty("segmentId").GetString()), Does.Contain(segment));
        Assert.That((await Profiles.GetAsync(keen))!.Segments.Keys, Does.Contain(segment));
    }

    [Test]
    public async Task Members_come_in_pages_and_bad_page_sizes_are_refused()
    {
        var segment = "paged-" + Guid.NewGuid().ToString("N")[..8];
        var marker = Guid.NewGuid().ToString("N")[..8];
        await DefineAsync(segment, $$$"""{"name": "Paged", "condition": {"trait": "cohort", "equals": "{{{marker}}}"}}""", HttpStatusCode.Created);
        var users = Enumerable.Range(0, 5).Select(i => $"paged-{marker}-{i}").ToList();
        var identifies = users.Select(u => JsonSerializer.Serialize(new { type = "identify", userId = u, messageId = $"{u}-id", traits = new { cohort = marker } }));
        using (var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', identifies)}}]}""")))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.ReturnsAsync(() => ReadAsync($"/api/segments/{segment}"), r => r.Body.GetProperty("members").GetInt64() == 5, TimeSpan.FromSeconds(60), "five members");

        var seen = new List<string>();
        string? after = null;
        do
        {
            var (status, page) = await ReadAsync($"/api/segments/{segment}/members?limit=2" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            seen.AddRange(page.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()!));
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        } while (after is not null);
        Assert.That(seen, Is.EqualTo(users.Order(StringComparer.Ordinal)));

        var (bad, problem) = await ReadAsync($"/api/segments/{segment}/members?limit=0");
        Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").TryGetProperty("limit", out _), Is.True);
        var (unparsed, why) = await ReadAsync($"/api/segments/{segment}/members?limit=abc");
        Assert.That(unparsed, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(why.GetProperty("detail").GetString(), Does.Contain("limit").And.Contain("abc"), "the answer names the parameter that did not parse");
    }

    [Test]
    public async Task Another_tenants_segments_are_invisible()
    {
        var other = "other-" + Guid.NewGuid().ToString("N")[..8];
        var segment = "theirs-" + Guid.NewGuid().ToString("N")[..8];
        await DefineAsync(segment, """{"name": "Theirs", "condition": {"trait": "plan", "exists": true}}""", HttpStatusCode.Created, tenant: other);

        Assert.That((await ReadAsync($"/api/segments/{segment}")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ReadAsync($"/api/segments/{segment}/members")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        var (_, list) = await ReadAsync("/api/segments");
        Assert.That(list.EnumerateArray().Select(s => s.GetProperty("id").GetString()), Does.Not.Contain(segment));
        Assert.That((await ReadAsync("/api/segments", token: "not-a-token")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
