using System.Text.Json;
using Microsoft.Playwright;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The Segments pages: the builder with its size preview, a segment's members and size over time, and the discovery reports.</summary>
public class SegmentsPageTests
{

    [Test]
    public async Task A_segment_built_in_the_console_is_sized_before_it_is_saved_and_lists_its_members_after()
    {
        var (_, writeKey) = await Sources.CreateAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var gadget = $"Gadget Viewed {run}";
        var viewers = Enumerable.Range(0, 3).Select(n => $"viewer-{run}-{n}").ToList();
        // Each view its own message id: identical content without one would be deduplicated as a resend.
        await PostEventsAsync(viewers.SelectMany(user => Enumerable.Range(0, 2).Select(n => (object)new { type = "track", userId = user, @event = gadget, messageId = $"{user}-{n}" }))
            .Append(new { type = "track", userId = $"glancer-{run}", @event = gadget, messageId = $"glancer-{run}" }), writeKey);
        var draft = new { name = "probe", condition = new { performed = gadget, atLeast = 2 } };
        await Eventually.ReturnsAsync(() => PreviewMatchesAsync(draft), matched => matched == 3, TimeSpan.FromSeconds(60), "the viewers' profiles");

        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Segments" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New segment" }).ClickAsync();
        var segmentId = $"viewers-{run}";
        await page.GetByLabel("Segment id").FillAsync(segmentId);
        await page.GetByLabel("Segment name").FillAsync("Gadget fans");
        await page.GetByLabel("Event").FillAsync(gadget);
        await page.GetByLabel("Within").FillAsync("soon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview size" }).ClickAsync();
        Assert.That(await page.GetByRole(AriaRole.Alert).InnerTextAsync(), Does.Contain("$.condition.and[0].within"), "the fault's path");

        await page.GetByLabel("Within").FillAsync("7d");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview size" }).ClickAsync();
        var estimate = await page.Locator(".estimate").InnerTextAsync();
        Assert.That(estimate, Does.StartWith("3 people of"), "everyone is asked in a tenant this small, so the count is exact");
        Assert.That(await page.GetByLabel("Definition JSON").TextContentAsync(), Does.Contain(gadget).And.Contain("\"atLeast\": 2"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
        await page.WaitForURLAsync($"**/#/segments/{segmentId}");
        await Eventually.ReturnsAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.GetByLabel("Members", new() { Exact = true }).InnerTextAsync();
        }, members => members == "3", TimeSpan.FromSeconds(60), "the catch-up run to put the viewers in");
        foreach (var viewer in viewers)
            Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = viewer }).IsVisibleAsync(), Is.True, viewer);
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = $"glancer-{run}" }).CountAsync(), Is.Zero);
        Assert.That(await page.GetByRole(AriaRole.Img, new() { Name = "Members over time" }).Locator("circle").CountAsync(), Is.GreaterThan(1));
    }

    [Test]
    public async Task The_discovery_reports_show_the_rfm_grid_silhouettes_and_a_pca_scatter()
    {
        var (_, writeKey) = await Sources.CreateAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        await PostEventsAsync(Enumerable.Range(0, 40).SelectMany(c => Enumerable.Range(0, 1 + c % 5).Select(o => (object)new
        {
            type = "track", userId = $"buyer-{run}-{c}", @event = "Order Completed", timestamp = start.AddDays(c * 4 + o * 3).ToString("O"),
            properties = new { order_id = $"{run}-{c}-{o}", revenue = 10 + c * 7 % 90, products = new[] { new { product_id = $"p-{o}", price = 10, quantity = 1 } } },
        })), writeKey);
        using (var asked = await Platform.Segmentation.Client.SendAsync(Platform.Admin(HttpMethod.Post, ConsoleHost.AdminPath("/discovery"))))
            Assert.That(asked.IsSuccessStatusCode, Is.True);
        var status = await Eventually.ReturnsAsync(DiscoveryAsync, s => s.GetProperty("request").GetProperty("state").GetString() is "done" or "failed"
            && s.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("method").GetString() == "kmeans"), TimeSpan.FromSeconds(120), "the discovery run");
        var rfm = status.GetProperty("runs").EnumerateArray().First(r => r.GetProperty("method").GetString() == "rfm");

        var page = await ConsoleHost.SignedInAsync();
        await page.GotoAsync("/#/discovery");
        var grid = page.GetByRole(AriaRole.Table, new() { Name = "RFM grid" });
        await grid.WaitForAsync();
        var counts = (await grid.Locator(".rfm-count").AllInnerTextsAsync()).Select(int.Parse).ToList();
        Assert.That(counts, Has.Count.EqualTo(25));
        Assert.That(counts.Sum(), Is.EqualTo(rfm.GetProperty("customers").GetInt32()), "every customer is in one cell");
        Assert.That(await page.GetByRole(AriaRole.Img, new() { Name = "Silhouette by k" }).Locator("rect.bar").CountAsync(), Is.GreaterThanOrEqualTo(2));
        var scatter = page.GetByRole(AriaRole.Img, new() { Name = "Customers on the first two principal components" });
        var kmeans = status.GetProperty("runs").EnumerateArray().First(r => r.GetProperty("method").GetString() == "kmeans");
        Assert.That(await scatter.Locator("circle").CountAsync(), Is.EqualTo(kmeans.GetProperty("report").GetProperty("plot").GetArrayLength()).And.GreaterThan(0));
    }

    private static async Task<int> PreviewMatchesAsync(object draft)
    {
        using var response = await Platform.Segmentation.Client.SendAsync(Platform.Admin(HttpMethod.Post, ConsoleHost.AdminPath("/segments/preview"), draft));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("matched").GetInt32();
    }

    private static async Task<JsonElement> DiscoveryAsync()
    {
        using var response = await Platform.Segmentation.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath("/discovery")));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
