using System.Net;
using Microsoft.Playwright;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>The Sources pages: a source created in the browser, its write key shown once and working, rotation, revocation, and the tracking plan editor.</summary>
public class SourcesPageTests
{
    [Test]
    public async Task A_source_created_in_the_console_shows_its_write_key_once_and_the_key_works()
    {
        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sources", Exact = true }).ClickAsync();
        var sourceId = Sources.NewId();
        await page.GetByLabel("Id").FillAsync(sourceId);
        await page.GetByLabel("Name").FillAsync("Web shop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();

        var writeKey = await page.Locator(".write-key").InnerTextAsync();
        Assert.That(writeKey, Is.Not.Empty);
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = sourceId }).IsVisibleAsync(), Is.True, "the new source is listed");
        Assert.That(await Sources.TrackAsync(writeKey), Is.EqualTo(HttpStatusCode.OK));

        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = sourceId }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Write keys" }).WaitForAsync();
        Assert.That(await page.ContentAsync(), Does.Not.Contain(writeKey), "the secret is never shown again");
    }

    [Test]
    public async Task Rotating_issues_a_new_key_and_revokes_the_old_one()
    {
        var (sourceId, oldKey) = await Sources.CreateAsync();
        var page = await ConsoleHost.SignedInAsync();
        await page.GotoAsync($"/#/sources/{sourceId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate keys" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Rotate" }).ClickAsync();

        var newKey = await page.Locator(".write-key").InnerTextAsync();
        Assert.That(newKey, Is.Not.EqualTo(oldKey));
        Assert.That(await page.GetByRole(AriaRole.Cell, new() { NameRegex = new("^revoked") }).CountAsync(), Is.EqualTo(1));
        Assert.That(await Sources.TrackAsync(newKey), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Sources.TrackAsync(oldKey), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Revoking_asks_first_and_cancelling_keeps_the_key()
    {
        var (sourceId, key) = await Sources.CreateAsync();
        var page = await ConsoleHost.SignedInAsync();
        await page.GotoAsync($"/#/sources/{sourceId}");
        var revoke = page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true });

        await revoke.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.That(await Sources.TrackAsync(key), Is.EqualTo(HttpStatusCode.OK), "cancelled: the key still works");

        await revoke.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Cell, new() { NameRegex = new("^revoked") }).WaitForAsync();
        Assert.That(await Sources.TrackAsync(key), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_tracking_plan_is_checked_before_it_is_saved()
    {
        var (sourceId, _) = await Sources.CreateAsync();
        var page = await ConsoleHost.SignedInAsync();
        await page.GotoAsync($"/#/sources/{sourceId}");
        var editor = page.GetByLabel("Tracking plan JSON");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save plan" });

        await editor.FillAsync("{\"events\": {");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        Assert.That(await page.GetByRole(AriaRole.Alert).InnerTextAsync(), Does.Contain("Not JSON"));

        await editor.FillAsync("""{"events": {"Order Completed": {"type": "object", "properties": 5}}}""");
        await save.ClickAsync();
        Assert.That(await page.GetByRole(AriaRole.Alert).InnerTextAsync(), Does.Contain("events.Order Completed").And.Contain("Not a usable JSON Schema"));
        Assert.That(await PlanStatusAsync(sourceId), Is.EqualTo(HttpStatusCode.NotFound), "nothing was saved");

        await editor.FillAsync("""{"events": {"Order Completed": {"type": "object", "required": ["orderId"]}}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await page.GetByText("The plan is valid.").WaitForAsync();
        Assert.That(await PlanStatusAsync(sourceId), Is.EqualTo(HttpStatusCode.NotFound), "checking saves nothing");

        await save.ClickAsync();
        await page.GetByText("Tracking plan version 1 saved.").WaitForAsync();
        Assert.That(await PlanStatusAsync(sourceId), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await editor.InputValueAsync(), Does.Contain("orderId"), "the saved plan is shown");
    }

    [Test]
    public async Task Markup_in_a_source_name_shows_as_text()
    {
        const string name = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
        var (sourceId, _) = await Sources.CreateAsync(name);
        var page = await ConsoleHost.SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sources", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = sourceId }).WaitForAsync();

        Assert.That(await page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true }).CountAsync(), Is.EqualTo(1));
        Assert.That(await page.Locator("main img, main script").CountAsync(), Is.Zero);
        Assert.That(await page.TitleAsync(), Is.EqualTo("Personalization console"));
    }

    private static async Task<HttpStatusCode> PlanStatusAsync(string sourceId)
    {
        using var response = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath($"/sources/{sourceId}/tracking-plan")));
        return response.StatusCode;
    }
}
