using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>The recommender's training data, read from the event log that the tracking API wrote.</summary>
public class InteractionExportTests
{
    private sealed record NewKey(string WriteKey);
    private sealed record SourceCreated(NewKey Key);

    private static string Message(string type, string? user, string? anonymous, string id, string? @event = null, object? properties = null, object? context = null) =>
        JsonSerializer.Serialize(new { type, @event, userId = user, anonymousId = anonymous, messageId = id, properties, context, timestamp = "2024-05-01T10:00:00Z" });

    private static async Task PostAsync(string writeKey, params string[] messages)
    {
        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', messages)}}]}""", writeKey));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Export_gives_one_person_their_whole_history_without_bots_unconsented_events_or_other_tenants()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (user, browser, stranger) = ($"buyer-{run}", $"browser-{run}", $"stranger-{run}");
        await PostAsync(WriteKey,
            Message("track", null, browser, $"{run}-1", "Product Viewed", new { sku = "sku-1" }, new { location = new { country = "FR" } }));
        await PostAsync(WriteKey,
            Message("identify", user, browser, $"{run}-2"),
            Message("track", user, null, $"{run}-3", "productAdded", new { productId = "sku-2" }),
            Message("track", user, null, $"{run}-4", "Order Completed", new { order_id = "o1", products = new object[] { new { product_id = "sku-3" }, new { productId = "sku-4" } } }),
            Message("track", user, null, $"{run}-5", "Product Viewed", new { product_id = "sku-bot" }, new { userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1)" }),
            Message("track", user, null, $"{run}-6", "Product Viewed", new { product_id = "sku-private" },
                new { consent = new { categoryPreferences = new { Personalization = false } } }),
            Message("track", null, stranger, $"{run}-7", "Product Viewed", new { product_id = "sku-6" }));
        await PostAsync(WriteKey, Message("track", null, browser, $"{run}-8", "Product Viewed", new { product_id = "sku-5" }));

        var otherTenant = "other-" + run;
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{otherTenant}/sources", new { sourceId = "web" }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var otherKey = (await created.Content.ReadFromJsonAsync<SourceCreated>(JsonSerializerOptions.Web))!.Key.WriteKey;
        await PostAsync(otherKey, Message("track", user, null, $"{run}-9", "Product Viewed", new { product_id = "sku-other-tenant" }));

        var file = Path.Combine(Path.GetTempPath(), $"interactions-{run}.csv");
        try
        {
            var output = await RunVerbAsync("services/Recommendation", "export-interactions", "--tenant", Tenant, "--output", file);
            var lines = await File.ReadAllLinesAsync(file);
            var rows = lines.Skip(1).Select(line => line.Split(',')).Where(f => f[0] == user || f[0] == "anonymous:" + stranger)
                .Select(f => (User: f[0], Item: f[1], Type: f[3], Context: f[4])).ToList();

            Assert.That(lines[0], Is.EqualTo("user,item,timestamp,event,context"));
            Assert.That(output, Does.Contain($"interactions of tenant {Tenant} to {file}"));
            Assert.That(rows, Is.EquivalentTo(new[]
            {
                (user, "sku-1", "view", "FR"),
                (user, "sku-2", "add_to_cart", ""),
                (user, "sku-3", "purchase", ""),
                (user, "sku-4", "purchase", ""),
                (user, "sku-5", "view", ""),
                ("anonymous:" + stranger, "sku-6", "view", ""),
            }), "browsing before the login counts for the user; ids and names in any of the spec's spellings count; " +
                "bots, unconsented events and other tenants count for nobody");
            Assert.That(lines.Any(line => line.Contains("anonymous:" + browser)), Is.False);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Evaluate_reads_a_tenants_event_log()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await PostAsync(WriteKey, [.. Enumerable.Range(0, 40).Select(n =>
            Message("track", $"eval-{run}-{n % 5}", null, $"{run}-{n}", "Order Completed", new { products = new[] { new { product_id = $"sku-{n % 7}" } } }))]);
        var output = await RunVerbAsync("services/Recommendation", "evaluate", "--event-log", Tenant, "--algorithms", "popularity", "--split", "random");
        Assert.That(output, Does.Match($@"event log of tenant {Tenant}: [1-9][0-9,]* interactions"));
    }
}
