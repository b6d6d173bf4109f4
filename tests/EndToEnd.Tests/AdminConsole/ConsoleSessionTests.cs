using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>Signing in to the console, and what guards its API: the session cookie, the CSRF token and the security headers.</summary>
public class ConsoleSessionTests
{
    [Test]
    public async Task A_wrong_token_is_refused_and_the_admin_token_signs_in()
    {
        var page = await ConsoleHost.OpenAsync();
        await page.GetByLabel("Admin token").FillAsync("not-the-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.That(await page.GetByRole(AriaRole.Alert).InnerTextAsync(), Does.Contain("That is not the admin token."));

        await page.GetByLabel("Admin token").FillAsync(Platform.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sources" }).WaitForAsync();
        Assert.That(await page.GetByLabel("Tenant").InputValueAsync(), Is.EqualTo(ConsoleHost.Tenant));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByLabel("Admin token").WaitForAsync();
        await page.ReloadAsync();
        Assert.That(await page.GetByLabel("Admin token").IsVisibleAsync(), Is.True, "signed out stays signed out");
    }

    [Test]
    public async Task The_admin_api_needs_a_session_and_changes_need_its_csrf_token()
    {
        using var client = NewClient();
        var sources = $"/api/ingestion/tenants/{ConsoleHost.Tenant}/sources";
        using (var anonymous = await client.GetAsync(sources))
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        var csrf = await SignInAsync(client);
        using (var listed = await client.GetAsync(sources))
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await listed.Content.ReadAsStringAsync());

        var body = new { sourceId = "csrf-" + Guid.NewGuid().ToString("N")[..8] };
        using (var forged = await client.PostAsJsonAsync(sources, body))
        {
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await forged.Content.ReadAsStringAsync(), Does.Contain("CSRF"));
        }
        using (var wrong = await client.SendAsync(WithCsrf(HttpMethod.Post, sources, body, csrf[..^4] + "AAAA")))
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using (var direct = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Get, ConsoleHost.AdminPath("/sources"))))
            Assert.That(await direct.Content.ReadAsStringAsync(), Does.Not.Contain(body.sourceId), "a refused change reaches no service");

        using var created = await client.SendAsync(WithCsrf(HttpMethod.Post, sources, body, csrf));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Only_the_services_admin_routes_are_reachable_through_the_console()
    {
        using var client = NewClient();
        await SignInAsync(client);
        // /api/ingestion/… is Ingestion's /admin/…: its tracking API and health are not behind it.
        using var tracking = await client.GetAsync("/api/ingestion/../../v1/batch");
        Assert.That(tracking.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var unknown = await client.GetAsync("/api/billing/tenants/x");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var segments = await client.GetAsync($"/api/segmentation/tenants/{ConsoleHost.Tenant}/segments");
        Assert.That(segments.StatusCode, Is.EqualTo(HttpStatusCode.OK), await segments.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_service_that_does_not_answer_is_a_problem_that_names_it()
    {
        using var client = NewClient();
        await SignInAsync(client);
        // Recommendation runs only while a test needs it.
        using var response = await client.GetAsync($"/api/recommendation/tenants/{ConsoleHost.Tenant}/models");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("The recommendation service is not answering"));
    }

    [Test]
    public async Task Guessing_the_token_is_stopped_after_ten_wrong_tries_a_minute()
    {
        // From an address of its own (another loopback address), so the lockout holds no other test's sign-in back.
        using var client = NewClient(IPAddress.Parse("127.0.0.42"));
        var csrf = await CsrfAsync(client);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            using var attempt = await client.SendAsync(WithCsrf(HttpMethod.Post, "/console/session", new { token = "guess-" + i }, csrf));
            statuses.Add(attempt.StatusCode);
        }
        Assert.That(statuses.Take(10), Has.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses[10], Is.EqualTo(HttpStatusCode.TooManyRequests));

        using var right = await client.SendAsync(WithCsrf(HttpMethod.Post, "/console/session", new { token = Platform.AdminToken }, csrf));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "while locked out, not even the right token is tried");
        Assert.That(right.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));

        using var elsewhere = NewClient();
        Assert.That(await SignInAsync(elsewhere), Is.Not.Empty, "other addresses still sign in");
    }

    [Test]
    public async Task Pages_carry_a_strict_content_security_policy()
    {
        using var client = NewClient();
        foreach (var path in new[] { "/", "/js/app.js", "/console/session" })
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.That(policy, Does.Contain("script-src 'self'").And.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'"), path);
            Assert.That(policy, Does.Not.Contain("unsafe-inline").And.Not.Contain("unsafe-eval"), path);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }), path);
        }
    }

    /// <param name="from">The loopback address the client connects from (127.0.0.1 unless given).</param>
    private static HttpClient NewClient(IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        if (from is not null)
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            };
        return new HttpClient(handler) { BaseAddress = ConsoleHost.Console.BaseAddress };
    }

    private static async Task<string> CsrfAsync(HttpClient client)
    {
        var session = await client.GetFromJsonAsync<JsonElement>("/console/session");
        return session.GetProperty("csrfToken").GetString()!;
    }

    /// <summary>Signs the client in; returns the session's CSRF token.</summary>
    private static async Task<string> SignInAsync(HttpClient client)
    {
        using var response = await client.SendAsync(WithCsrf(HttpMethod.Post, "/console/session", new { token = Platform.AdminToken }, await CsrfAsync(client)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString()!;
    }

    private static HttpRequestMessage WithCsrf(HttpMethod method, string path, object body, string csrf) =>
        new(method, path) { Content = JsonContent.Create(body), Headers = { { "X-CSRF-TOKEN", csrf } } };
}
