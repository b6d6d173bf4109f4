using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>A journey's webhook step posting to a real HTTP endpoint, which checks the signature as a receiver would.</summary>
public class WebhookTests
{
    [Test]
    public async Task An_order_posts_a_signed_webhook_whose_signature_the_receiver_can_check()
    {
        var port = ServiceProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveAsync(listener);

        await SaveTemplateAsync();
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/order-hook", new
        {
            name = "Order confirmation by SMS",
            entry = new Dictionary<string, object> { ["event"] = "Order Completed", ["where"] = new { via = "sms" } },
            reentry = "everyTime",
            steps = new object[] { new { id = "sms", send = new { channel = "webhook", template = "order-hook", url = $"http://127.0.0.1:{port}/sms" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/order-hook/publish");

        var user = "eve-" + Guid.NewGuid().ToString("N")[..8];
        var batch = new object[]
        {
            new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { phone = "+44 7700 900123" } },
            new { type = "track", userId = user, messageId = $"{user}-order", @event = "Order Completed", properties = new { order_id = $"{user}-o1", via = "sms" } },
        };
        await PostEventsAsync(batch);

        var hook = await received.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(hook.Path, Is.EqualTo("/sms"));
        Assert.That(JsonDocument.Parse(hook.Body).RootElement.GetProperty("text").GetString(), Is.EqualTo($"Order {user}-o1 is confirmed"));
        Assert.That(JsonDocument.Parse(hook.Body).RootElement.GetProperty("to").GetString(), Is.EqualTo("+44 7700 900123"));
        Assert.That(hook.Signature, Is.EqualTo("v1=" + Sign(WebhookSecret, hook.Timestamp, hook.Body)), "signed over the timestamp and the body");
        Assert.That(long.Parse(hook.Timestamp), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(120));
        Assert.That(hook.Signature, Is.Not.EqualTo("v1=" + Sign("another secret", hook.Timestamp, hook.Body)));
        Assert.That(hook.IdempotencyKey, Does.StartWith($"{Tenant}/order-hook/v1/"));
    }

    /// <summary>What the receiver computes, as the Triggers README tells it: hex HMAC-SHA256 of "{timestamp}.{body}" under the shared secret.</summary>
    private static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    [Test]
    public async Task An_endpoint_that_is_down_delays_the_webhook_and_gets_it_once_it_recovers()
    {
        var port = ServiceProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var attempts = 0;
        var delivered = new TaskCompletionSource<string>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception) when (!listener.IsListening) { return; }
                // Down for the first four calls: more than one dispatch's retries, so the message goes back to the outbox.
                context.Response.StatusCode = Interlocked.Increment(ref attempts) <= 4 ? 503 : 200;
                if (context.Response.StatusCode == 200) delivered.TrySetResult(context.Request.Headers["Idempotency-Key"]!);
                context.Response.Close();
            }
        });
        await SaveTemplateAsync();
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/flaky-hook", new
        {
            name = "To a flaky endpoint", entry = new Dictionary<string, object> { ["event"] = "Order Completed", ["where"] = new { via = "flaky" } },
            reentry = "everyTime",
            steps = new object[] { new { id = "hook", send = new { channel = "webhook", template = "order-hook", url = $"http://127.0.0.1:{port}/hook" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/flaky-hook/publish");
        var user = "fay-" + Guid.NewGuid().ToString("N")[..8];
        var batch = new object[] { new { type = "track", userId = user, messageId = $"{user}-order", @event = "Order Completed", properties = new { order_id = $"{user}-o1", via = "flaky" } } };
        await PostEventsAsync(batch);

        var key = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.That(attempts, Is.EqualTo(5), "four refusals, then the delivery");
        Assert.That(key, Does.Contain("/flaky-hook/"));
        await Eventually.ReturnsAsync(() => Database.ScalarAsync<string>(
                "select status from triggers.outbox where tenant_id = @tenant and user_id = @user", ("tenant", Tenant), ("user", user)),
            s => s == "Sent", TimeSpan.FromSeconds(30), "the message to be marked sent");
    }

    private static Task SaveTemplateAsync() => AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/order-hook", new
    {
        name = "Order to the SMS provider", channel = "webhook",
        body = """{"to": "{{ profile.traits.phone }}", "text": "Order {{ event.properties.order_id }} is confirmed"}""",
    });

    private sealed record Hook(string Path, string Body, string Timestamp, string Signature, string IdempotencyKey);

    private static async Task<Hook> ReceiveAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var hook = new Hook(context.Request.Url!.AbsolutePath, await reader.ReadToEndAsync(), context.Request.Headers["X-Personalization-Timestamp"]!,
            context.Request.Headers["X-Personalization-Signature"]!, context.Request.Headers["Idempotency-Key"]!);
        context.Response.StatusCode = 200;
        context.Response.Close();
        return hook;
    }
}
