using System.Text;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>
/// The brief's first story through the whole platform: events posted to the real tracking API, relayed over
/// RabbitMQ to Segmentation (the profile, with the cart) and Triggers (the journey's occurrence actor behind the
/// sidecar emulator, its wait a reminder), and the email read back from the real SMTP server.
/// </summary>
public class CartAbandonmentTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(6);
    private SmtpInbox _smtp = null!;

    [OneTimeSetUp]
    public async Task PublishJourneyAsync()
    {
        _smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/cart-reminder", new
        {
            name = "Cart reminder", channel = "email",
            subject = "{{ profile.traits.firstName }}, your cart is waiting",
            text = "{% for line in cart %}{{ line.quantity }} x {{ line.name }}; {% endfor %}cart {{ event.properties.cart_id }}",
            html = "<p>Your cart is waiting.</p><a href=\"https://shop.example.com/cart?id={{ event.properties.cart_id }}&amp;from=email\">Back to your cart</a>",
        });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/cart-abandonment", new
        {
            name = "Cart abandonment",
            entry = new Dictionary<string, object> { ["event"] = "Product Added" },
            key = "cart_id",
            reentry = "everyTime",
            exitWhen = new[] { new Dictionary<string, object> { ["event"] = "Order Completed", ["matchKey"] = "cart_id" } },
            steps = new object[]
            {
                new { id = "wait", wait = $"PT{Wait.TotalSeconds}S" },
                new { id = "email", send = new { channel = "email", template = "cart-reminder", group = "marketing" } },
            },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/cart-abandonment/publish");
    }

    [OneTimeTearDown]
    public void Dispose() => _smtp.Dispose();

    [Test]
    public async Task A_cart_left_alone_gets_one_email_after_the_wait_listing_the_cart()
    {
        var (user, address) = Person("ada");
        await TrackAsync(user, address, "Ada", ("Product Added", new { cart_id = $"{user}-cart", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 2 }));
        var added = DateTimeOffset.UtcNow;

        var received = await Eventually.ReturnsAsync(() => _smtp.ToAsync(address), m => m.Count > 0, TimeSpan.FromSeconds(60), "the cart email");
        Assert.That(DateTimeOffset.UtcNow - added, Is.GreaterThanOrEqualTo(Wait - TimeSpan.FromSeconds(1)), "not before the wait ended");
        Assert.That(received[0].GetProperty("subject").GetString(), Is.EqualTo("Ada, your cart is waiting"));
        var source = await _smtp.RawAsync(received[0]);
        Assert.That(source, Does.Contain($"2 x Desk lamp; cart {user}-cart"));
        Assert.That(source, Does.Contain("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(await _smtp.ToAsync(address), Has.Count.EqualTo(1), "one email, however the messages were delivered");
        Assert.That(await SentCountAsync(user), Is.EqualTo(1));
    }

    [Test]
    public async Task Opens_and_clicks_come_back_through_ingestion_as_the_persons_events()
    {
        var (user, address) = Person("fay");
        await TrackAsync(user, address, "Fay", ("Product Added", new { cart_id = $"{user}-cart", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }));
        var received = await Eventually.ReturnsAsync(() => _smtp.ToAsync(address), m => m.Count > 0, TimeSpan.FromSeconds(60), "the cart email");
        var html = await _smtp.HtmlAsync(received[0]);
        var click = System.Text.RegularExpressions.Regex.Match(html, "href=\"([^\"]+)\"").Groups[1].Value;
        var pixel = System.Text.RegularExpressions.Regex.Match(html, "<img src=\"([^\"]+)\"").Groups[1].Value;
        Assert.That(click, Does.StartWith(Platform.Triggers.BaseAddress + "c/"), "the link goes through the click redirect");
        Assert.That(pixel, Does.StartWith(Platform.Triggers.BaseAddress + "o/"));

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using (var opened = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(pixel)))
            Assert.That(opened.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/gif"));
        using (var redirect = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(click)))
        {
            Assert.That((int)redirect.StatusCode, Is.EqualTo(302));
            Assert.That(redirect.Headers.Location?.ToString(), Is.EqualTo($"https://shop.example.com/cart?id={user}-cart&from=email"));
        }
        using (var forged = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(click).Replace("/c/", "/c/x")))
            Assert.That((int)forged.StatusCode, Is.EqualTo(400), "an altered link redirects nowhere");

        foreach (var name in new[] { "Email Delivered", "Email Opened", "Email Link Clicked" })
            await Eventually.ReturnsAsync(() => Database.ScalarAsync<long>(
                    "select count(*) from ingestion.mt_events where stream_id = @stream and data::text like @name and data::text like '%cart-abandonment%'",
                    ("stream", $"{Tenant}/user:{user}"), ("name", $"%{name}%")),
                n => n == 1, TimeSpan.FromSeconds(30), $"'{name}' in the person's stream, attributed to the journey");

        using var response = await Platform.Triggers.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/journeys/cart-abandonment/stats"));
        var email = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("steps").EnumerateArray()
            .Single(s => s.GetProperty("stepId").GetString() == "email");
        Assert.That(email.GetProperty("opened").GetInt64(), Is.GreaterThanOrEqualTo(1));
        Assert.That(email.GetProperty("clicked").GetInt64(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_purchase_of_the_cart_before_the_wait_ends_sends_nothing()
    {
        var (user, address) = Person("bob");
        await TrackAsync(user, address, "Bob",
            ("Product Added", new { cart_id = $"{user}-cart", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }),
            ("Order Completed", new { cart_id = $"{user}-cart", order_id = $"{user}-order", total = 30 }));

        await Eventually.ReturnsAsync(() => StatusAsync(user), s => s == "Exited", TimeSpan.FromSeconds(30), "the purchase to end the occurrence");
        await Task.Delay(Wait + TimeSpan.FromSeconds(4));
        Assert.That(await _smtp.ToAsync(address), Is.Empty);
        Assert.That(await Database.ScalarAsync<string>(
            $"select end_reason from triggers.occurrences where tenant_id = @tenant and user_id = @user", ("tenant", Tenant), ("user", user)),
            Is.EqualTo("exitWhen: Order Completed"));
    }

    [Test]
    public async Task A_wait_survives_Triggers_being_killed_and_its_email_still_goes_once()
    {
        var (user, address) = Person("cy");
        await TrackAsync(user, address, "Cy", ("Product Added", new { cart_id = $"{user}-cart", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }));
        await Eventually.ReturnsAsync(() => StatusAsync(user), s => s == "Waiting", TimeSpan.FromSeconds(30), "the occurrence to wait");

        // Killed (no graceful stop) while the occurrence waits, and down until after its time.
        await KillTriggersAsync(() => Task.Delay(Wait));
        var received = await Eventually.ReturnsAsync(() => _smtp.ToAsync(address), m => m.Count > 0, TimeSpan.FromSeconds(60), "the email after the restart");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(await _smtp.ToAsync(address), Has.Count.EqualTo(1));
        Assert.That(received[0].GetProperty("subject").GetString(), Is.EqualTo("Cy, your cart is waiting"));
    }

    [Test]
    public async Task A_wait_survives_the_sidecar_being_killed_and_its_email_still_goes_once()
    {
        var (user, address) = Person("ola");
        await TrackAsync(user, address, "Ola", ("Product Added", new { cart_id = $"{user}-cart", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }));
        await Eventually.ReturnsAsync(() => StatusAsync(user), s => s == "Waiting", TimeSpan.FromSeconds(30), "the occurrence to wait");

        // The reminders live in the sidecar's state store: killed while the occurrence waits, down until after its time.
        await KillSidecarAsync(() => Task.Delay(Wait));
        await Eventually.ReturnsAsync(() => _smtp.ToAsync(address), m => m.Count > 0, TimeSpan.FromSeconds(60), "the email after the sidecar's restart");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(await _smtp.ToAsync(address), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_person_who_withdrew_consent_gets_no_personalised_email_and_the_skip_says_why()
    {
        var (user, address) = Person("pia");
        using (var consent = await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{Tenant}/users/{user}/consent", new { personalization = false })))
            Assert.That(consent.IsSuccessStatusCode, Is.True);
        await TrackAsync(user, address, "Pia", ("Product Added", new { cart_id = $"{user}-cart", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }));
        var outcomes = await Eventually.ReturnsAsync(() => OutcomesAsync(user), o => o.Count == 1, TimeSpan.FromSeconds(60), "the send to be settled");
        Assert.That(outcomes, Is.EqualTo(new[] { "Skipped: consent: the person withdrew consent for personalisation" }));
        Assert.That(await _smtp.ToAsync(address), Is.Empty);
    }

    [Test]
    public async Task A_journey_cap_skips_the_second_cart_email_and_records_why()
    {
        var (user, address) = Person("di");
        var tenantPolicy = $"/admin/tenants/{Tenant}/contact-policy";
        // The policy is the tenant's: this test's cap is per journey and per day, which the other tests' people stay under.
        await AdminAsync(HttpMethod.Put, tenantPolicy, new { channels = new { email = new { journeyCaps = new[] { new { max = 1, per = "1d" } } } } });
        await TrackAsync(user, address, "Di",
            ("Product Added", new { cart_id = $"{user}-cart-1", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }),
            ("Product Added", new { cart_id = $"{user}-cart-2", product_id = "desk", name = "Desk", price = 200, quantity = 1 }));

        var reasons = await Eventually.ReturnsAsync(() => OutcomesAsync(user), o => o.Count == 2, TimeSpan.FromSeconds(60), "both sends to be settled");
        Assert.That(reasons.Order(), Is.EqualTo(new[] { "Sent: ", "Skipped: frequency cap: at most 1 emails per 1d from this journey" }));
        Assert.That(await _smtp.ToAsync(address), Has.Count.EqualTo(1));
        Assert.That(await Database.ScalarAsync<long>(
            "select count(*) from triggers.journey_log where tenant_id = @tenant and user_id = @user and outcome = 'skipped' and detail like 'frequency cap%'",
            ("tenant", Tenant), ("user", user)), Is.EqualTo(1), "the skip is in the journey's record");

        using var response = await Platform.Triggers.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/journeys/cart-abandonment/stats"));
        var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var email = stats.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stepId").GetString() == "email");
        Assert.That(email.GetProperty("skipped").GetProperty("frequency cap").GetInt64(), Is.GreaterThanOrEqualTo(1));
        Assert.That(email.GetProperty("sent").GetInt64(), Is.GreaterThanOrEqualTo(1));
        Assert.That(stats.GetProperty("entered").GetInt64(), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task After_unsubscribing_from_the_emails_link_the_next_cart_email_of_the_group_is_skipped()
    {
        var (user, address) = Person("gus");
        await TrackAsync(user, address, "Gus", ("Product Added", new { cart_id = $"{user}-cart-1", product_id = "lamp", name = "Desk lamp", price = 30, quantity = 1 }));
        var first = await Eventually.ReturnsAsync(() => _smtp.ToAsync(address), m => m.Count > 0, TimeSpan.FromSeconds(60), "the first cart email");
        var link = System.Text.RegularExpressions.Regex.Match(await _smtp.RawAsync(first[0]), @"List-Unsubscribe:\s*<([^>]+)>").Groups[1].Value;
        // A mail client's one click (RFC 8058).
        using (var oneClick = await new HttpClient().PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
            Assert.That(oneClick.IsSuccessStatusCode, Is.True);

        await TrackAsync(user, address, "Gus", ("Product Added", new { cart_id = $"{user}-cart-2", product_id = "desk", name = "Desk", price = 200, quantity = 1 }));
        var outcomes = await Eventually.ReturnsAsync(() => OutcomesAsync(user), o => o.Count == 2, TimeSpan.FromSeconds(60), "the second send to be settled");
        Assert.That(outcomes.Order(), Is.EqualTo(new[] { "Sent: ", "Skipped: unsubscribed: the person left the group 'marketing'" }));
        Assert.That(await _smtp.ToAsync(address), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task In_the_persons_quiet_hours_the_email_is_deferred_to_their_end_with_the_reason()
    {
        var (user, address) = Person("hal");
        // Quiet for the next two hours where Hal is, wherever the clock stands when the test runs.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone);
        var from = local.AddMinutes(-5).ToString("HH:mm");
        var to = local.AddHours(2).ToString("HH:mm");
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/quiet-cart", new
        {
            name = "Quiet cart", entry = new Dictionary<string, object> { ["event"] = "Quiet Cart" }, key = "cart_id",
            steps = new object[] { new { id = "email", send = new { channel = "email", template = "cart-reminder" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/quiet-cart/publish");
        var batch = new object[]
        {
            new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { email = address, firstName = "Hal", timezone = "Asia/Tokyo" } },
            new { type = "track", userId = user, messageId = $"{user}-quiet", @event = "Quiet Cart", properties = new { cart_id = $"{user}-cart" } },
        };
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/contact-policy", new { quietHours = new { from, to } });
        try
        {
            await PostEventsAsync(batch);
            var deferred = await Eventually.ReturnsAsync(() => Database.ScalarAsync<string?>(
                    "select reason || ' until ' || to_char(not_before at time zone 'Asia/Tokyo', 'HH24:MI') from triggers.outbox where tenant_id = @tenant and user_id = @user and status = 'Pending' and reason is not null",
                    ("tenant", Tenant), ("user", user)),
                r => r is not null, TimeSpan.FromSeconds(60), "the email to be deferred");
            Assert.That(deferred, Is.EqualTo($"quiet hours: {from}–{to} in Asia/Tokyo until {to}"));
            Assert.That(await _smtp.ToAsync(address), Is.Empty);
        }
        finally
        {
            await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/contact-policy", new { channels = new { email = new { journeyCaps = new[] { new { max = 1, per = "1d" } } } } });
        }
    }

    private static async Task<IReadOnlyList<string>> OutcomesAsync(string user)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(Database.ConnectionString);
        await using var command = data.CreateCommand("select status || ': ' || coalesce(reason, '') from triggers.outbox where tenant_id = $1 and user_id = $2 and status <> 'Pending'");
        command.Parameters.AddWithValue(Tenant);
        command.Parameters.AddWithValue(user);
        var outcomes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) outcomes.Add(reader.GetString(0));
        return outcomes;
    }

    private static (string User, string Address) Person(string name)
    {
        var user = $"{name}-{Guid.NewGuid().ToString("N")[..8]}";
        return (user, $"{user}@example.com");
    }

    private static async Task TrackAsync(string user, string address, string firstName, params (string Event, object Properties)[] events)
    {
        var batch = new List<object> { new { type = "identify", userId = user, messageId = $"{user}-identify", traits = new { email = address, firstName } } };
        batch.AddRange(events.Select(e => (object)new { type = "track", userId = user, messageId = $"{user}-{Guid.NewGuid():N}", @event = e.Event, properties = e.Properties }));
        await PostEventsAsync(batch);
    }

    private static Task<string?> StatusAsync(string user) => Database.ScalarAsync<string?>(
        "select status from triggers.occurrences where tenant_id = @tenant and user_id = @user", ("tenant", Tenant), ("user", user));

    private static Task<long> SentCountAsync(string user) => Database.ScalarAsync<long>(
        "select count(*) from triggers.outbox where tenant_id = @tenant and user_id = @user and status = 'Sent'", ("tenant", Tenant), ("user", user));
}
