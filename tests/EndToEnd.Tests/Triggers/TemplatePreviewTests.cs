using System.Net;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>
/// A template rendered for a person by a real Triggers process: their profile from the profile actor behind the
/// sidecar emulator, their recommendations from a real Recommendation process with a trained model, and the
/// fallback once Recommendation is gone.
/// </summary>
public class TemplatePreviewTests
{
    private const string ReadToken = "preview-read-token";
    private readonly string _tenant = "preview-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Test]
    public async Task A_cart_email_lists_the_persons_recommendations_and_falls_back_whole_when_recommendation_is_down()
    {
        var source = await OkAsync(await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{_tenant}/sources", new { sourceId = "web" })));
        var writeKey = source.GetProperty("key").GetProperty("writeKey").GetString()!;
        for (var n = 0; n < 8; n++)
            await OkAsync(await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/catalog/items/sku-{n}", new { title = $"Lamp {n}", price = 10 + n, currency = "EUR" })));
        var events = new List<object> { new { type = "identify", userId = "ada", messageId = "ada-identify", traits = new { firstName = "Ada" } } };
        // Ada views the first four lamps; the others view all eight, so there is something new to recommend to her.
        var random = new Random(5);
        for (var n = 0; n < 160; n++)
            events.Add(new
            {
                type = "track", @event = "Product Viewed", userId = n % 4 == 0 ? "ada" : $"shopper-{n % 10}", messageId = $"view-{n}",
                timestamp = DateTimeOffset.UtcNow.AddHours(-200 + n).ToString("O"), properties = new { product_id = $"sku-{(n % 4 == 0 ? n / 4 % 4 : random.Next(8))}" },
            });
        await OkAsync(await Ingestion.Client.SendAsync(Post("/v1/batch", JsonSerializer.Serialize(new { batch = events }), writeKey)));

        var recommendation = await ServiceProcess.StartAsync("services/Recommendation", new Dictionary<string, string>(Settings)
        {
            [$"Recommendation__AccessTokens__{ReadToken}"] = _tenant,
            ["Recommendation__Training__Schedule"] = "00:00:00",
        });
        var running = true;
        try
        {
            await using var triggers = await ServiceProcess.StartAsync("services/Triggers", new Dictionary<string, string>(Settings)
            {
                ["Recommendation__Url"] = recommendation.BaseAddress.ToString(),
                [$"Recommendation__Tokens__{_tenant}"] = ReadToken,
                // Queues of its own: the platform's Triggers holds the platform's, which are exclusive.
                ["Messaging__QueuePrefix"] = _tenant,
            });
            using var train = await recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{_tenant}/models/train"));
            var job = train.Headers.Location!.ToString();
            await Eventually.ReturnsAsync(async () => await OkAsync(await recommendation.Client.SendAsync(Admin(HttpMethod.Get, job))),
                j => j.GetProperty("state").GetString() is "succeeded", TimeSpan.FromSeconds(120), "the training job to succeed");

            await OkAsync(await triggers.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{_tenant}/templates/picks", new
            {
                name = "Picks", channel = "email",
                subject = "{{ profile.traits.firstName }}, ideas for you",
                text = "{% for item in recommendations %}{{ item.title }} ({{ item.price }} {{ item.currency }}); {% endfor %}ref {{ recommendation_id }}",
                fallback = new { subject = "Ideas for you", text = "See what is new." },
            })));
            async Task<JsonElement> PreviewAsync() =>
                await OkAsync(await triggers.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{_tenant}/templates/picks/preview", new { userId = "ada" })));

            var preview = await Eventually.ReturnsAsync(PreviewAsync,
                p => p.GetProperty("profileRead").GetBoolean() && !p.GetProperty("message").GetProperty("usedFallback").GetBoolean(),
                TimeSpan.FromSeconds(60), "Ada's profile and a served model");
            var message = preview.GetProperty("message");
            var recommendationId = message.GetProperty("recommendationId").GetString();
            Assert.That(recommendationId, Is.Not.Empty);
            Assert.That(message.GetProperty("parts").GetProperty("subject").GetString(), Is.EqualTo("Ada, ideas for you"));
            var text = message.GetProperty("parts").GetProperty("text").GetString()!;
            Assert.That(text, Does.Match(@"^(Lamp \d \(\d+ EUR\); ){3}ref "), "three recommended lamps with their prices");
            Assert.That(text, Does.EndWith(recommendationId!), "the recommendation id goes into the message for its links");

            await recommendation.DisposeAsync();
            running = false;
            var down = (await PreviewAsync()).GetProperty("message");
            Assert.That(down.GetProperty("usedFallback").GetBoolean(), Is.True);
            Assert.That(down.GetProperty("parts").GetProperty("text").GetString(), Is.EqualTo("See what is new."));
            Assert.That(down.GetProperty("parts").GetProperty("subject").GetString(), Is.EqualTo("Ideas for you"), "the whole fallback, not a mix");
        }
        finally
        {
            if (running) await recommendation.DisposeAsync();
        }
    }
}
