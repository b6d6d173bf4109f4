using System.Text.Json;
using Microsoft.Playwright;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The Journeys pages: a journey as its steps with their counts, its message log, and pausing it.</summary>
public class JourneysPageTests
{
    private const string JourneyId = "console-welcome";
    private string _writeKey = "";

    [OneTimeSetUp]
    public async Task PublishJourneyAsync()
    {
        (_, _writeKey) = await Sources.CreateAsync();
        await AdminAsync(HttpMethod.Put, ConsoleHost.AdminPath("/templates/console-welcome"), new { name = "Welcome", channel = "email", subject = "Welcome", text = "Hello {{ profile.traits.firstName }}" });
        await AdminAsync(HttpMethod.Put, ConsoleHost.AdminPath($"/journeys/{JourneyId}"), new
        {
            name = "Console welcome",
            entry = new Dictionary<string, object> { ["event"] = "Signed Up" },
            steps = new object[]
            {
                new { id = "settle", wait = "PT1S" },
                new { id = "welcome", send = new { channel = "email", template = "console-welcome" } },
            },
        });
        await AdminAsync(HttpMethod.Post, ConsoleHost.AdminPath($"/journeys/{JourneyId}/publish"));
    }

    [Test]
    public async Task A_journey_shows_its_steps_with_counts_and_its_message_log_and_can_be_paused()
    {
        var user = "console-" + Guid.NewGuid().ToString("N")[..8];
        await PostEventsAsync([
            new { type = "identify", userId = user, traits = new { email = $"{user}@example.com", firstName = "Cleo" } },
            new { type = "track", userId = user, @event = "Signed Up" },
        ], _writeKey);
        await Eventually.ReturnsAsync(() => SentAsync(user), sent => sent, TimeSpan.FromSeconds(60), "the welcome email's send");

        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Journeys" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = JourneyId }).ClickAsync();

        var steps = page.GetByRole(AriaRole.List, new() { Name = "Journey steps" });
        Assert.That(await steps.Locator(".step.entry").InnerTextAsync(), Does.Contain("Signed Up").And.Contain("entered"));
        Assert.That(await steps.Locator("[data-step=settle]").InnerTextAsync(), Does.Contain("wait PT1S"));
        Assert.That(await steps.Locator("[data-step=welcome]").InnerTextAsync(), Does.Match(@"[1-9]\d* sent"));
        var logged = page.GetByRole(AriaRole.Row).Filter(new() { HasText = user });
        Assert.That(await logged.InnerTextAsync(), Does.Contain("Sent").And.Contain("welcome"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await page.GetByText("Paused: the journey takes no new entries.").WaitForAsync();
        Assert.That(await page.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).IsVisibleAsync(), Is.True);
        Assert.That(await StatusAsync(), Is.EqualTo("paused"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
        await page.GetByText("Version 1 published").WaitForAsync();
        Assert.That(await StatusAsync(), Is.EqualTo("live"));
    }

    private static async Task<bool> SentAsync(string user)
    {
        using var response = await Platform.Triggers.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath($"/messages?userId={user}")));
        var messages = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return messages.ValueKind == JsonValueKind.Array && messages.EnumerateArray().Any(m => m.GetProperty("status").GetString() == "Sent");
    }

    private static async Task<string?> StatusAsync()
    {
        using var response = await Platform.Triggers.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath($"/journeys/{JourneyId}")));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
    }
}
