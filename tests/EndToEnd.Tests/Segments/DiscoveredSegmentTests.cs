using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Segments.SegmentCalls;

namespace Personalization.EndToEnd.Tests.Segments;

/// <summary>
/// Discovered segments (RFM grid, K-Means, DBSCAN, mixture) computed from the event log on demand, read and announced
/// like rule segments. They run in a tenant of their own: quantiles and clusters are relative to all its customers,
/// so other tests' buyers would move these.
/// </summary>
public class DiscoveredSegmentTests
{
    private static readonly string Tenant = IsolatedTenant;

    private sealed record SourceCreated(NewKey Key);
    private sealed record NewKey(string WriteKey);

    private static async Task<JsonElement> ReadOkAsync(string path)
    {
        var (status, body) = await ReadAsync(path, IsolatedReadToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), path);
        return body;
    }

    /// <summary>Asks for a run and waits until one requested after now has finished; returns the discovery status.</summary>
    private static async Task<JsonElement> DiscoverAsync()
    {
        var asked = DateTimeOffset.UtcNow;
        var (accepted, body) = await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/discovery");
        Assert.That(accepted, Is.EqualTo(HttpStatusCode.Accepted), body.ToString());
        return await Eventually.ReturnsAsync(async () => (await AdminAsync(HttpMethod.Get, $"/admin/tenants/{Tenant}/discovery")).Body, s => s.GetProperty("request") is { ValueKind: JsonValueKind.Object } r && r.GetProperty("state").GetString() is "done" or "failed"
                && r.GetProperty("startedAt").GetDateTimeOffset() >= asked.AddSeconds(-1),
            TimeSpan.FromSeconds(120), "the discovery run to finish");
    }

    [Test]
    public async Task Customers_are_put_in_rfm_and_cluster_segments_from_the_event_log_and_each_entry_is_announced_once()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        // 24 customers: the first 8 order often and much, in the kitchen (the event names the category), the rest once and
        // little, toys (found in the catalog).
        var toy = $"toy-{marker}";
        using (var put = await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{Tenant}/catalog/items/{toy}", new { title = "Jigsaw", category = "Toys > Puzzles" })))
            Assert.That(put.IsSuccessStatusCode, put.StatusCode.ToString());
        var customers = Enumerable.Range(0, 24).Select(i => $"buyer-{marker}-{i:D2}").ToList();
        var orders = customers.SelectMany((user, i) => Enumerable.Range(0, i < 8 ? 6 : 1).Select(n => JsonSerializer.Serialize(new
        {
            type = "track", @event = "Order Completed", userId = user, messageId = $"{user}-order-{n}",
            timestamp = DateTimeOffset.UtcNow.AddDays(-(i < 8 ? 1 + n : 40 + i)).ToString("O"),
            properties = new
            {
                order_id = $"{user}-{n}", revenue = i < 8 ? 250 + 10 * n : 12,
                products = new[] { i < 8 ? new { product_id = $"pan-{marker}", category = "Kitchen > Pans", quantity = 2 } : new { product_id = toy, category = (string)null!, quantity = 1 } },
            },
        })));
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{Tenant}/sources", new { sourceId = $"shop-{marker}" }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var writeKey = (await created.Content.ReadFromJsonAsync<SourceCreated>(JsonSerializerOptions.Web))!.Key.WriteKey;
        using (var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', orders)}}]}""", writeKey)))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var listener = await SegmentTransitionsListener.StartAsync();

        var status = await DiscoverAsync();
        Assert.That(status.GetProperty("request").GetProperty("state").GetString(), Is.EqualTo("done"), status.ToString());
        var methods = status.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("method").GetString()).ToList();
        Assert.That(methods, Is.EquivalentTo(new[] { "dbscan", "gmm", "kmeans", "predictive", "rfm" }));
        var kmeans = status.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("method").GetString() == "kmeans");
        var report = kmeans.GetProperty("report");
        Assert.That(report.GetProperty("candidates").GetArrayLength(), Is.GreaterThanOrEqualTo(2), "every k's silhouette is reported");
        Assert.That(report.GetProperty("features").EnumerateArray().Select(f => f.GetString()), Is.SupersetOf(new[] { "recency", "share:Kitchen", "share:Toys" }),
            "category shares, from the events and from the catalog");
        Assert.That(report.GetProperty("pca").GetProperty("components").GetInt32(), Is.InRange(2, report.GetProperty("features").GetArrayLength() - 1),
            "seven features or more are clustered as fewer principal components");

        var listed = (await ReadOkAsync("/api/segments")).EnumerateArray().ToList();
        Assert.That(listed.Where(s => s.GetProperty("kind").GetString() == "rfm").Select(s => s.GetProperty("id").GetString()), Does.Contain("rfm.champions"));

        foreach (var user in customers)
        {
            var mine = (await ReadOkAsync($"/api/profiles/{user}/segments")).EnumerateArray().Select(s => s.GetProperty("segmentId").GetString()!).ToList();
            foreach (var method in new[] { "rfm", "kmeans", "gmm" })
                Assert.That(mine.Count(id => id.StartsWith(method + ".", StringComparison.Ordinal)), Is.EqualTo(1), $"{user} is in one {method} segment: {string.Join(", ", mine)}");
        }
        var best = (await ReadOkAsync($"/api/profiles/{customers[0]}/segments")).EnumerateArray().Select(s => s.GetProperty("segmentId").GetString()).ToList();
        Assert.That(best, Does.Contain("rfm.champions"), "recent, frequent and big spending");
        var probabilities = (await ReadOkAsync($"/api/profiles/{customers[0]}/segment-probabilities")).EnumerateArray().ToList();
        Assert.That(probabilities.Sum(p => p.GetProperty("probability").GetDouble()), Is.EqualTo(1).Within(0.01), "soft memberships of the mixture");

        var champions = await ReadOkAsync("/api/segments/rfm.champions");
        Assert.That(champions.GetProperty("members").GetInt64(), Is.GreaterThanOrEqualTo(8));
        Assert.That(champions.GetProperty("description").GetString(), Is.Not.Empty);

        var stream = $"{Tenant}/user:{customers[0]}";
        await Eventually.ReturnsAsync(() => Task.FromResult(listener.EnteredBy(stream)), e => e.Any(m => m.SegmentId == "rfm.champions"),
            TimeSpan.FromSeconds(30), "the champion's entry");

        // Nothing changed: a second run moves nobody, so nothing is announced again.
        var again = await DiscoverAsync();
        Assert.That(again.GetProperty("request").GetProperty("state").GetString(), Is.EqualTo("done"), again.ToString());
        Assert.That(again.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run").GetInt32()), Is.All.GreaterThanOrEqualTo(2), "each method ran again");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(listener.EnteredBy(stream).Count(m => m.SegmentId == "rfm.champions"), Is.EqualTo(1));
        Assert.That(listener.Exited("rfm.champions", stream), Is.Empty);

        // An erased customer keeps no discovered memberships or probabilities either.
        var erased = customers[1];
        await Profiles.WithCountAsync(erased, 6, IsolatedReadToken);
        using (var response = await Ingestion.Client.SendAsync(Admin(HttpMethod.Delete, $"/admin/tenants/{Tenant}/users/{erased}")))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        await Eventually.ReturnsAsync(() => ReadOkAsync($"/api/profiles/{erased}/segments"), s => s.GetArrayLength() == 0,
            TimeSpan.FromSeconds(30), "the erased customer's memberships to go");
        Assert.That((await ReadOkAsync($"/api/profiles/{erased}/segment-probabilities")).GetArrayLength(), Is.Zero);
    }
}
