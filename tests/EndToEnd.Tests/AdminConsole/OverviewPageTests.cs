using System.Text.Json;
using Microsoft.Playwright;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The Overview: events per second, people, relay lag, sends, CTR and conversion, and the consumers' queues.</summary>
public class OverviewPageTests
{
    [Test]
    public async Task The_overview_shows_the_tenants_events_people_and_lag_over_the_hour_and_the_day()
    {
        var (_, writeKey) = await Sources.CreateAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        await PostEventsAsync(Enumerable.Range(0, 25).Select(n => (object)new { type = "track", userId = $"overview-{run}-{n % 5}", @event = "Page Loaded", messageId = $"{run}-{n}" }), writeKey);
        // Counted in memory and written every few seconds.
        var overview = await Eventually.ReturnsAsync(() => IngestionOverviewAsync(1), o => o.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("events").GetInt64()) >= 25,
            TimeSpan.FromSeconds(30), "the events to be counted");

        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Overview" }).WaitForAsync();
        Assert.That(await page.GetByLabel("people", new() { Exact = true }).InnerTextAsync(), Is.EqualTo(overview.GetProperty("people").GetInt64().ToString()));
        // Counts only grow (other tests' events are written every few seconds): the page's lies between the API's before and after.
        var shown = long.Parse((await page.GetByText(new System.Text.RegularExpressions.Regex(@"^\d+ stored in the span$")).InnerTextAsync()).Split(' ')[0]);
        Assert.That(shown, Is.InRange(Stored(overview), Stored(await IngestionOverviewAsync(1))));
        Assert.That(await page.GetByLabel("relay lag", new() { Exact = true }).InnerTextAsync(), Does.Match(@"^\d+$"));
        Assert.That(await page.GetByRole(AriaRole.Img, new() { Name = "Events per second" }).Locator("circle").CountAsync(), Is.EqualTo(60));
        Assert.That(await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "segmentation" }).CountAsync(), Is.GreaterThanOrEqualTo(1), "Segmentation's queue");

        await page.GetByLabel("Span").SelectOptionAsync("24");
        await page.GetByText("Stored events per second, in 1440-second intervals.").WaitForAsync();
    }

    private static long Stored(JsonElement overview) => overview.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("events").GetInt64());

    private static async Task<JsonElement> IngestionOverviewAsync(int hours)
    {
        using var response = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath($"/overview?hours={hours}")));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
