using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The live event debugger: messages appear as they arrive with their payload, flags and dedup result; dead letters replay.</summary>
public class DebuggerPageTests
{
    [Test]
    public async Task An_event_appears_as_it_arrives_with_its_payload_flags_and_dedup_result()
    {
        var (sourceId, writeKey) = await Sources.CreateAsync();
        var page = await OpenDebuggerAsync(sourceId);
        var messageId = "dbg-" + Guid.NewGuid().ToString("N");
        var message = $$"""
            {"type":"track","event":"Checkout Started","userId":"dbg-user","messageId":"{{messageId}}","properties":{"coupon":"SPRING-24"},
             "context":{"userAgent":"Mozilla/5.0 (compatible; Googlebot/2.1)","consent":{"categoryPreferences":{"personalization":false} } } }
            """;
        Assert.That(await Sources.SendAsync(writeKey, message), Is.EqualTo(HttpStatusCode.OK));

        var entry = page.Locator(".entry.stored", new() { HasText = "Checkout Started" });
        await entry.WaitForAsync();
        Assert.That(await entry.Locator(".badge.flag").AllInnerTextsAsync(), Is.EquivalentTo(new[] { "bot", "no consent" }));
        await entry.Locator("summary").ClickAsync();
        var payload = JsonDocument.Parse(await entry.Locator("pre.payload").InnerTextAsync()).RootElement;
        Assert.That(payload.GetProperty("properties").GetProperty("coupon").GetString(), Is.EqualTo("SPRING-24"));
        Assert.That(await entry.InnerTextAsync(), Does.Contain(messageId).And.Contain("New: first time"));

        Assert.That(await Sources.SendAsync(writeKey, message), Is.EqualTo(HttpStatusCode.OK), "the resend");
        var duplicate = page.Locator(".entry.duplicate", new() { HasText = "Checkout Started" });
        await duplicate.WaitForAsync();
        await duplicate.Locator("summary").ClickAsync();
        Assert.That(await duplicate.InnerTextAsync(), Does.Contain(messageId).And.Contain("stored before, so it was skipped"));
        Assert.That(await page.Locator(".entry.stored", new() { HasText = "Checkout Started" }).CountAsync(), Is.EqualTo(1), "stored once");
    }

    [Test]
    public async Task A_dead_letter_shows_its_reasons_and_replays_once_the_plan_is_fixed()
    {
        var (sourceId, writeKey) = await Sources.CreateAsync();
        await Sources.PutPlanAsync(sourceId, """{"events":{"Order Completed":{"type":"object","required":["orderId"]}}}""");
        var page = await OpenDebuggerAsync(sourceId);
        Assert.That(await Sources.SendAsync(writeKey, """{"type":"track","event":"Order Completed","userId":"dbg-buyer","properties":{"total":12}}"""),
            Is.EqualTo(HttpStatusCode.OK));

        var entry = page.Locator(".entry.deadLettered", new() { HasText = "Order Completed" });
        await entry.WaitForAsync();
        await entry.Locator("summary").ClickAsync();
        Assert.That(await entry.InnerTextAsync(), Does.Contain("orderId"), "the reason names the missing property");

        await Sources.PutPlanAsync(sourceId, """{"events":{"Order Completed":{"type":"object"}}}""");
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new("^Select dead letter") }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected" }).ClickAsync();
        Assert.That(await page.GetByText(new System.Text.RegularExpressions.Regex("^Replayed 1: 1 stored")).InnerTextAsync(), Does.Contain("0 still failing"));
        await page.Locator(".entry.stored", new() { HasText = "Order Completed" }).WaitForAsync();
        Assert.That(await page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters (0)" }).IsVisibleAsync(), Is.True);
    }

    [Test]
    public async Task Script_and_markup_in_an_event_show_as_text_and_never_run()
    {
        var (sourceId, writeKey) = await Sources.CreateAsync();
        var page = await OpenDebuggerAsync(sourceId);
        var violations = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy")) violations.Add(message.Text); };
        const string name = "<img src=x onerror=\"window.__pwned='name'\">";
        var message = JsonSerializer.Serialize(new
        {
            type = "track", @event = name, userId = "<script>window.__pwned='user'</script>",
            properties = new Dictionary<string, string> { ["<b onmouseover=\"window.__pwned='key'\">k</b>"] = "<svg onload=\"window.__pwned='value'\"></svg>", ["href"] = "javascript:window.__pwned='href'" },
        });
        Assert.That(await Sources.SendAsync(writeKey, message), Is.EqualTo(HttpStatusCode.OK));

        var entry = page.Locator(".entry.stored");
        await entry.WaitForAsync();
        await entry.Locator("summary").ClickAsync();
        await entry.Locator("summary").HoverAsync();
        Assert.That(await entry.Locator(".event-name").InnerTextAsync(), Is.EqualTo(name));
        Assert.That(await entry.Locator(".who").InnerTextAsync(), Is.EqualTo("<script>window.__pwned='user'</script>"));
        Assert.That(await entry.Locator("pre.payload").InnerTextAsync(), Does.Contain("<svg onload="));
        Assert.That(await page.Locator("main img, main script, main svg, main b").CountAsync(), Is.Zero, "no markup became elements");
        Assert.That(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"), Is.Null, "nothing ran");
        Assert.That(violations, Is.Empty, "nothing even tried to run against the policy");
    }

    private static async Task<IPage> OpenDebuggerAsync(string sourceId)
    {
        var page = await ConsoleHost.SignedInAsync();
        await page.GotoAsync($"/#/debugger/{sourceId}");
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "live" }).WaitForAsync();
        return page;
    }
}
