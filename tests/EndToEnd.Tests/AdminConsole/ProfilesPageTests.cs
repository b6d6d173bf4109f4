using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The Profiles pages: a person found by a trait, their profile, identity, consent and timeline, and erasure.</summary>
public class ProfilesPageTests
{

    [Test]
    public async Task A_person_found_by_email_shows_profile_identity_consent_and_timeline_and_can_be_erased()
    {
        var (_, writeKey) = await Sources.CreateAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var (user, email) = ($"shopper-{run}", $"shopper-{run}@example.com");
        await PostEventsAsync([
            new { type = "track", anonymousId = $"anon-{run}", @event = "Product Viewed", properties = new { productId = "lamp", name = "Desk lamp" } },
            new { type = "identify", userId = user, anonymousId = $"anon-{run}", traits = new { email, firstName = "Noor" } },
            new { type = "track", userId = user, @event = "Product Added", properties = new { product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 } },
        ], writeKey);
        using (var consent = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Put, ConsoleHost.AdminPath($"/users/{user}/consent"), new { personalization = true })))
            Assert.That(consent.IsSuccessStatusCode, Is.True);
        await Eventually.ReturnsAsync(ProfileEventsAsync(user), events => events >= 2, TimeSpan.FromSeconds(60), "the profile");

        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Profiles" }).ClickAsync();
        await page.GetByLabel("Search people").FillAsync(email.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var found = page.GetByRole(AriaRole.Row).Filter(new() { HasText = user });
        Assert.That(await found.InnerTextAsync(), Does.Contain("trait email"));
        await found.GetByRole(AriaRole.Link).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = user }).WaitForAsync();
        Assert.That(await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "firstName" }).InnerTextAsync(), Does.Contain("Noor"));
        Assert.That(await page.GetByRole(AriaRole.List, new() { Name = "Streams" }).InnerTextAsync(), Does.Contain($"user:{user}").And.Contain($"anonymous:anon-{run}"),
            "the identity links: the anonymous stream merged in");
        Assert.That(await page.GetByLabel("Consent").InnerTextAsync(), Does.StartWith("Personalization allowed"));
        var timeline = page.GetByRole(AriaRole.List, new() { Name = "Timeline" });
        Assert.That(await timeline.Locator("summary").AllInnerTextsAsync(), Has.Some.Contains("Product Added").And.Some.Contains("identify").And.Some.Contains("Product Viewed"));
        Assert.That(await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Desk lamp" }).First.InnerTextAsync(), Does.Contain("30"), "the cart");

        await page.GetByRole(AriaRole.Button, new() { Name = "Erase…" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Erase" }).ClickAsync();
        Assert.That(await page.GetByRole(AriaRole.Status).InnerTextAsync(), Does.Match(@"^Erased [1-9]\d* events in 2 streams"));
        using var export = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath($"/users/{user}/export")));
        Assert.That(JsonDocument.Parse(await export.Content.ReadAsStringAsync()).RootElement.GetProperty("events").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_search_without_a_query_is_refused_with_the_reason()
    {
        using var response = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath("/users?query=%20")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("start of a user id"));
    }

    private static Func<Task<long>> ProfileEventsAsync(string user) => async () =>
    {
        using var response = await Platform.Segmentation.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath($"/profiles/{user}")));
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("profile").GetProperty("eventCount").GetInt64()
            : 0;
    };
}
