using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using Personalization.TestSupport;
using Personalization.Triggers.Subscriptions;

namespace Personalization.Triggers.Tests.Api;

/// <summary>Templates and journeys through the admin API of a real Triggers process, over a PostgreSQL database of the fixture's own.</summary>
public class AdminApiTests
{
    private const string AdminToken = "triggers-admin-token";
    private const string LinkSecret = "a-link-secret-of-the-tests-own-0123456789";
    private TestDatabase _database = null!;
    private ServiceProcess _triggers = null!;
    private InfraSettings _infra = null!;

    private const string Template = """
        {"name": "Cart reminder", "channel": "email", "subject": "Your cart", "html": "<p>{{ cart.size }} items</p>", "text": "{{ cart.size }} items",
         "note": "first draft"}
        """;

    private static string Journey(string wait, string template = "cart-reminder", string note = "first version") => $$$"""
        {"name": "Cart abandonment", "note": "{{{note}}}", "entry": {"event": "Product Added"}, "key": "cart_id",
         "exitWhen": [{"event": "Order Completed", "matchKey": "cart_id"}],
         "steps": [{"id": "wait", "wait": "{{{wait}}}"}, {"id": "email", "send": {"channel": "email", "template": "{{{template}}}"}}]}
        """;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _infra = await LocalInfrastructure.EnsureStartedAsync();
        _database = await TestDatabase.CreateAsync("triggers");
        var port = ServiceProcess.FreePort();
        _triggers = await ServiceProcess.StartAsync("services/Triggers", new Dictionary<string, string>
        {
            // The SMTP server tools/infra.sh runs: STARTTLS with a certificate of its own, and AUTH.
            ["Email__Smtp__Host"] = _infra.Environment["Email__Smtp__Host"],
            ["Email__Smtp__Port"] = _infra.Environment["Email__Smtp__Port"],
            ["Email__Smtp__Username"] = _infra.Environment["Email__Smtp__Username"],
            ["Email__Smtp__Password"] = _infra.Environment["Email__Smtp__Password"],
            ["Email__Smtp__AcceptAnyCertificate"] = "true",
            ["Email__From"] = "Shop <shop@example.com>",
            ["Email__PublicUrl"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Postgres"] = _database.ConnectionString,
            ["ConnectionStrings__RabbitMQ"] = _infra.RabbitMqConnectionString,
            ["Messaging__QueuePrefix"] = "triggers-admin-" + Guid.NewGuid().ToString("N")[..8],
            ["Messaging__TemporaryQueues"] = "true",
            ["APP_API_TOKEN"] = "triggers-admin-tests-app-token",
            ["Admin__Token"] = AdminToken,
            ["Links__Secret"] = LinkSecret,
            // Nothing listens there: no profile and no recommendations can be had, so a preview shows the fallback.
            ["DAPR_HTTP_PORT"] = ServiceProcess.FreePort().ToString(),
            ["Recommendation__Url"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}",
        }, port, readinessPath: "/health/live"); // not ready without a sidecar, but the admin API works
    }

    /// <summary>Each test's own tenant, so no test sees another's templates.</summary>
    private string Tenant { get; set; } = "";

    [SetUp]
    public void NewTenant() => Tenant = "t-" + Guid.NewGuid().ToString("N")[..8];

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_triggers is not null) await _triggers.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string token = AdminToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _triggers.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Test]
    public async Task A_journey_needs_its_template_and_each_change_is_a_version_with_its_note_and_changes()
    {
        var journeys = $"/admin/tenants/{Tenant}/journeys";
        var (missing, problem) = await SendAsync(HttpMethod.Put, $"{journeys}/cart-abandonment", Journey("24h"));
        Assert.That(missing, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").GetProperty("$.steps[1].send.template")[0].GetString(), Does.Contain("no template 'cart-reminder'"));

        var (created, template) = await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/cart-reminder", Template);
        Assert.That(created, Is.EqualTo(HttpStatusCode.Created), template.ToString());
        Assert.That(template.GetProperty("definition").TryGetProperty("note", out _), Is.False, "the note is kept beside the definition");
        Assert.That(template.GetProperty("versions")[0].GetProperty("note").GetString(), Is.EqualTo("first draft"));

        var (first, v1) = await SendAsync(HttpMethod.Put, $"{journeys}/cart-abandonment", Journey("24h"));
        Assert.That(first, Is.EqualTo(HttpStatusCode.Created), v1.ToString());
        Assert.That((v1.GetProperty("version").GetInt32(), v1.GetProperty("status").GetString()), Is.EqualTo((1, "draft")));

        var (same, unchanged) = await SendAsync(HttpMethod.Put, $"{journeys}/cart-abandonment", Journey("24h"));
        Assert.That((same, unchanged.GetProperty("version").GetInt32()), Is.EqualTo((HttpStatusCode.OK, 1)), "the same definition again makes no version");

        var (changed, v2) = await SendAsync(HttpMethod.Put, $"{journeys}/cart-abandonment", Journey("2h", note: "shorter wait"));
        Assert.That((changed, v2.GetProperty("version").GetInt32()), Is.EqualTo((HttpStatusCode.OK, 2)));
        var second = v2.GetProperty("versions")[1];
        Assert.That(second.GetProperty("note").GetString(), Is.EqualTo("shorter wait"));
        var change = second.GetProperty("changes").EnumerateArray().Single();
        Assert.That((change.GetProperty("path").GetString(), change.GetProperty("before").GetString(), change.GetProperty("after").GetString()),
            Is.EqualTo(("$.steps[id=wait].wait", "24h", "2h")));

        var (_, old) = await SendAsync(HttpMethod.Get, $"{journeys}/cart-abandonment/versions/1");
        Assert.That(old.GetProperty("definition").GetProperty("steps")[0].GetProperty("wait").GetString(), Is.EqualTo("24h"), "every version is kept");
        var (_, list) = await SendAsync(HttpMethod.Get, journeys);
        Assert.That(list.EnumerateArray().Select(j => j.GetProperty("id").GetString()), Is.EqualTo(new[] { "cart-abandonment" }));
    }

    [Test]
    public async Task A_journey_is_published_paused_and_archived_and_an_archived_one_no_longer_changes()
    {
        await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/cart-reminder", Template);
        var journey = $"/admin/tenants/{Tenant}/journeys/lifecycle";
        Assert.That((await SendAsync(HttpMethod.Put, journey, Journey("1h"))).Status, Is.EqualTo(HttpStatusCode.Created));
        await SendAsync(HttpMethod.Put, journey, Journey("3h"));

        var (notYet, refused) = await SendAsync(HttpMethod.Post, $"{journey}/pause");
        Assert.That(notYet, Is.EqualTo(HttpStatusCode.Conflict), "a draft has nothing to pause");
        Assert.That(refused.GetProperty("detail").GetString(), Does.Contain("never been published"));
        Assert.That((await SendAsync(HttpMethod.Post, $"{journey}/publish?version=3")).Status, Is.EqualTo(HttpStatusCode.Conflict), "there is no version 3");

        var (published, live) = await SendAsync(HttpMethod.Post, $"{journey}/publish?version=1");
        Assert.That(published, Is.EqualTo(HttpStatusCode.OK), live.ToString());
        Assert.That((live.GetProperty("status").GetString(), live.GetProperty("publishedVersion").GetInt32(), live.GetProperty("version").GetInt32()), Is.EqualTo(("live", 1, 2)));
        var (_, paused) = await SendAsync(HttpMethod.Post, $"{journey}/pause");
        Assert.That((paused.GetProperty("status").GetString(), paused.GetProperty("publishedVersion").GetInt32()), Is.EqualTo(("paused", 1)));
        var (_, republished) = await SendAsync(HttpMethod.Post, $"{journey}/publish");
        Assert.That(republished.GetProperty("publishedVersion").GetInt32(), Is.EqualTo(2), "the latest version when none is named");

        Assert.That((await SendAsync(HttpMethod.Post, $"{journey}/archive")).Body.GetProperty("status").GetString(), Is.EqualTo("archived"));
        var (archived, _) = await SendAsync(HttpMethod.Put, journey, Journey("5h"));
        Assert.That(archived, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await SendAsync(HttpMethod.Post, $"{journey}/publish")).Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Bad_definitions_get_problem_details_naming_the_path_and_other_tenants_see_nothing()
    {
        var (badTemplate, problem) = await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/broken",
            """{"name": "Broken", "channel": "email", "subject": "{{ name", "text": "t"}""");
        Assert.That(badTemplate, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").TryGetProperty("$.subject", out _), Is.True, problem.ToString());

        var (cycle, why) = await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/loop",
            """{"name": "Loop", "entry": {"segmentEntered": "vip"}, "steps": [{"id": "a", "wait": "1h"}, {"id": "b", "wait": "1h", "next": "a"}]}""");
        Assert.That(cycle, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(why.GetProperty("errors").GetProperty("$.steps[1].next")[0].GetString(), Does.Contain("cycle"));

        Assert.That((await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/Bad%20Id", Journey("1h"))).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/not-json", "{oops")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await SendAsync(HttpMethod.Get, $"/admin/tenants/{Tenant}/journeys", token: "wrong")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));

        await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/cart-reminder", Template);
        Assert.That((await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/mine", Journey("1h"))).Status, Is.EqualTo(HttpStatusCode.Created));
        var other = "other-" + Guid.NewGuid().ToString("N")[..8];
        Assert.That((await SendAsync(HttpMethod.Get, $"/admin/tenants/{other}/journeys/mine")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        var (refused, _) = await SendAsync(HttpMethod.Put, $"/admin/tenants/{other}/journeys/mine", Journey("1h"));
        Assert.That(refused, Is.EqualTo(HttpStatusCode.BadRequest), "another tenant's templates are not theirs to send");
    }

    [Test]
    public async Task A_preview_without_recommendations_or_a_profile_renders_the_fallback_and_says_why()
    {
        var templates = $"/admin/tenants/{Tenant}/templates";
        await SendAsync(HttpMethod.Put, $"{templates}/picks", $$$"""
            {"name": "Picks", "channel": "email", "subject": "For {{ profile.traits.firstName }}", "text": "{% for item in recommendations %}{{ item.title }} {% endfor %}",
             "fallback": {"subject": "Ideas for you", "text": "See what's new: {{ event.properties.cart_id }}"}}
            """);

        var (status, preview) = await SendAsync(HttpMethod.Post, $"{templates}/picks/preview", """{"userId": "ada", "event": {"properties": {"cart_id": "c-9"}}}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), preview.ToString());
        var message = preview.GetProperty("message");
        Assert.That(message.GetProperty("usedFallback").GetBoolean(), Is.True);
        Assert.That(message.GetProperty("problem").GetString(), Does.Contain("no recommendations"));
        Assert.That(message.GetProperty("parts").GetProperty("text").GetString(), Is.EqualTo("See what's new: c-9"));
        Assert.That((preview.GetProperty("profileRead").GetBoolean(), preview.GetProperty("recommendationsAsked").GetBoolean()), Is.EqualTo((false, true)));

        Assert.That((await SendAsync(HttpMethod.Post, $"{templates}/missing/preview", """{"userId": "ada"}""")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        var (bad, problem) = await SendAsync(HttpMethod.Post, $"{templates}/picks/preview", """{"user": "ada"}""");
        Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").TryGetProperty("$.userId", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_contact_policy_is_saved_per_tenant_versioned_and_refused_with_the_path_of_a_fault()
    {
        var policy = $"/admin/tenants/{Tenant}/contact-policy";
        Assert.That((await SendAsync(HttpMethod.Get, policy)).Status, Is.EqualTo(HttpStatusCode.NotFound));
        var (bad, problem) = await SendAsync(HttpMethod.Put, policy, """{"timeZone": "Europe/Lundun"}""");
        Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").TryGetProperty("$.timeZone", out _), Is.True, problem.ToString());

        var (created, first) = await SendAsync(HttpMethod.Put, policy, """{"timeZone": "Europe/London", "channels": {"email": {"caps": [{"max": 3, "per": "7d"}]}}, "note": "three a week"}""");
        Assert.That(created, Is.EqualTo(HttpStatusCode.Created), first.ToString());
        var (_, second) = await SendAsync(HttpMethod.Put, policy, """{"timeZone": "Europe/London", "channels": {"email": {"caps": [{"max": 2, "per": "7d"}]}}}""");
        Assert.That(second.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(second.GetProperty("versions")[1].GetProperty("changes")[0].GetProperty("path").GetString(), Is.EqualTo("$.channels.email.caps[0].max"));
        var (_, read) = await SendAsync(HttpMethod.Get, policy);
        Assert.That(read.GetProperty("definition").GetProperty("channels").GetProperty("email").GetProperty("caps")[0].GetProperty("max").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task An_unsubscribe_link_asks_first_and_leaves_the_group_on_one_click_and_a_changed_link_does_nothing()
    {
        var signer = new LinkSigner(Options.Create(new LinkSettings { Secret = LinkSecret }));
        var link = new UnsubscribeLink(Tenant, "ada", "marketing");
        var token = signer.Sign(link);
        await using var data = NpgsqlDataSource.Create(_database.ConnectionString);
        var store = new SubscriptionStore(data, new TriggersSchema(data), TimeProvider.System);

        using (var page = await _triggers.Client.GetAsync($"/unsubscribe/{token}"))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("<form method=\"post\"").And.Contain("marketing"));
        }
        Assert.That(await store.LeftAsync(Tenant, "ada", CancellationToken.None), Is.Empty, "following the link alone unsubscribes nobody");

        // What a mail client sends for List-Unsubscribe-Post (RFC 8058).
        using (var oneClick = await _triggers.Client.PostAsync($"/unsubscribe/{token}",
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
            Assert.That(oneClick.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await store.LeftAsync(Tenant, "ada", CancellationToken.None), Is.EqualTo(new[] { "marketing" }));

        var forged = signer.Sign(link with { UserId = "bob" }).Split('.')[0] + "." + token.Split('.')[1];
        using (var refused = await _triggers.Client.PostAsync($"/unsubscribe/{forged}", null))
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await store.LeftAsync(Tenant, "bob", CancellationToken.None), Is.Empty);
        using (var garbage = await _triggers.Client.GetAsync("/unsubscribe/not-a-token"))
            Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_test_send_goes_over_smtp_and_its_one_click_unsubscribe_header_works()
    {
        var address = $"ada-{Tenant}@example.com";
        await SendAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/welcome",
            """{"name": "Welcome", "channel": "email", "subject": "Welcome {{ event.properties.plan }}", "html": "<p>Hello &amp; welcome</p>", "text": "Hello and welcome"}""");
        var (status, sent) = await SendAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/templates/welcome/test-send",
            JsonSerializer.Serialize(new { userId = "ada", to = address, group = "marketing", @event = new { properties = new { plan = "pro" } } }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), sent.ToString());

        using var smtp = new SmtpInbox(_infra);
        var received = await Eventually.ReturnsAsync(() => smtp.ToAsync(address), found => found.Count > 0, TimeSpan.FromSeconds(30), "the SMTP server to list the message");
        Assert.That(received, Has.Count.EqualTo(1));
        Assert.That(received[0].GetProperty("subject").GetString(), Is.EqualTo("Welcome pro"));
        var source = await smtp.RawAsync(received[0]);
        Assert.That(source, Does.Contain("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        Assert.That(source, Does.Contain("From: Shop <shop@example.com>"));
        var link = System.Text.RegularExpressions.Regex.Match(source, @"List-Unsubscribe:\s*<([^>]+)>").Groups[1].Value;
        Assert.That(link, Does.StartWith(_triggers.BaseAddress + "unsubscribe/"));

        // What a mail client does with those headers (RFC 8058): a POST to the link.
        using (var oneClick = await new HttpClient().PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
            Assert.That(oneClick.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var data = NpgsqlDataSource.Create(_database.ConnectionString);
        Assert.That(await new SubscriptionStore(data, new TriggersSchema(data), TimeProvider.System).LeftAsync(Tenant, "ada", CancellationToken.None), Is.EqualTo(new[] { "marketing" }));

        var (push, _) = await SendAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/templates/welcome/test-send", """{"userId": "ada", "to": "not an address"}""");
        Assert.That(push, Is.EqualTo(HttpStatusCode.BadRequest));
        var (notAnObject, problem) = await SendAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/templates/welcome/test-send", "[]");
        Assert.That(notAnObject, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
    }
}
