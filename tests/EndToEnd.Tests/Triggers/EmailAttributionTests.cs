using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>
/// The closed loop through email: a journey's email lists the person's recommendations from a real Recommendation
/// process; its open and a click on a recommended item come back through ingestion as <c>Recommendation Viewed</c>
/// and <c>Product Clicked</c>, and Recommendation's attribution counts them for the email's scenario.
/// </summary>
public class EmailAttributionTests
{
    private SmtpInbox _smtp = null!;
    private ServiceProcess _recommendation = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        var views = new List<object>();
        for (var n = 0; n < 120; n++)
            views.Add(new
            {
                type = "track", @event = "Product Viewed", userId = $"reader-{n % 12}", messageId = $"email-attribution-view-{n}",
                timestamp = DateTimeOffset.UtcNow.AddHours(-150 + n).ToString("O"), properties = new { product_id = $"book-{n * 7 % 10}" },
            });
        await PostEventsAsync(views);
        _recommendation = await StartRecommendationAsync(new Dictionary<string, string> { ["Recommendation__Training__Schedule"] = "00:00:00" });
        using var train = await _recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{Tenant}/models/train"));
        var job = train.Headers.Location!.ToString();
        await Eventually.ReturnsAsync(async () => JsonDocument.Parse(await (await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, job))).Content.ReadAsStringAsync()).RootElement.Clone(),
            j => j.GetProperty("state").GetString() is "succeeded", TimeSpan.FromSeconds(120), "the training job to succeed");
        using (var scenario = await _recommendation.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{Tenant}/scenarios/email-picks", new { count = 3 })))
            Assert.That(scenario.IsSuccessStatusCode, Is.True);

        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/book-picks", new
        {
            name = "Book picks", channel = "email", subject = "Books for you",
            html = "{% for item in recommendations %}<a href=\"https://shop.example.com/p/{{ item.itemId }}?ref={{ recommendation_id }}\">{{ item.itemId }}</a> {% endfor %}"
                   + "<a href=\"https://shop.example.com/account\">Your account</a>",
            fallback = new { subject = "Books", html = "<p>See what is new.</p>" },
        });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/book-picks", new
        {
            name = "Book picks",
            entry = new Dictionary<string, object> { ["event"] = "Reading List Opened" },
            steps = new object[] { new { id = "email", send = new { channel = "email", template = "book-picks", scenario = "email-picks" } } },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/book-picks/publish");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _smtp.Dispose();
        await _recommendation.DisposeAsync();
    }

    [Test]
    public async Task An_open_and_a_click_on_a_recommended_item_count_for_the_emails_scenario()
    {
        var user = "reader-3";
        var address = $"{user}-{Guid.NewGuid():N}@example.com";
        await PostEventsAsync([
            new { type = "identify", userId = user, messageId = $"{user}-identify-{Guid.NewGuid():N}", traits = new { email = address } },
            new { type = "track", userId = user, messageId = $"{user}-{Guid.NewGuid():N}", @event = "Reading List Opened", properties = new { } },
        ]);
        var received = await Eventually.ReturnsAsync(() => _smtp.ToAsync(address), m => m.Count > 0, TimeSpan.FromSeconds(60), "the email");
        var html = await _smtp.HtmlAsync(received[0]);
        var links = Regex.Matches(html, "href=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.That(links, Has.Count.EqualTo(4), "three recommended books and the account link: " + html);
        var pixel = WebUtility.HtmlDecode(Regex.Match(html, "<img src=\"([^\"]+)\"").Groups[1].Value);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        (await browser.GetAsync(pixel)).Dispose();
        string target;
        using (var redirect = await browser.GetAsync(links[1]))
            target = redirect.Headers.Location!.ToString();
        (await browser.GetAsync(links[3])).Dispose();
        var item = Regex.Match(target, "/p/([^?]+)").Groups[1].Value;
        var recommendationId = Regex.Match(target, "ref=([^&]+)").Groups[1].Value;
        Assert.That(recommendationId, Does.Contain(".email-picks."), "the email's links carry the answer's id, which names its scenario");

        var stats = await Eventually.ReturnsAsync(async () =>
            {
                using var response = await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{Tenant}/recommendations/stats?scenario=email-picks"));
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            },
            s => s.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("clicks").GetInt64()) == 1, TimeSpan.FromSeconds(60),
            "the email's click to be attributed");
        var day = stats.GetProperty("days").EnumerateArray().Single();
        Assert.That(day.GetProperty("impressions").GetInt64(), Is.EqualTo(1), "the open is the email's impression");
        Assert.That(day.GetProperty("ctr").GetDouble(), Is.EqualTo(1));

        var clicked = await Database.ScalarAsync<string>(
            "select data::text from ingestion.mt_events where stream_id = @stream and data::text like '%Product Clicked%'", ("stream", $"{Tenant}/user:{user}"));
        Assert.That(clicked, Does.Contain($"\"product_id\": \"{item}\"").Or.Contain($"\"product_id\":\"{item}\""));
        Assert.That(clicked, Does.Contain("\"position\": 2").Or.Contain("\"position\":2"), "the second link of the list");
    }
}
