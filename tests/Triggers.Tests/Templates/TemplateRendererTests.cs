using System.Text.Json;
using Personalization.Contracts.Profiles;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Tests.Templates;

public class TemplateRendererTests
{
    private static MessageTemplate Template(string json) => TemplateParser.Parse(JsonDocument.Parse(json).RootElement).Template
                                                            ?? throw new ArgumentException("the test's template does not parse", nameof(json));

    private static readonly CustomerProfile Ada = new()
    {
        UserKey = "user:ada",
        Traits = { ["firstName"] = JsonSerializer.SerializeToElement("Ada <3") },
        Cart = { ["sku-1"] = new CartLine("sku-1", "Mug & Saucer", 2, 8.5m) },
    };

    private static readonly RecommendationList Picks = new("rec-42",
        JsonSerializer.SerializeToElement(new[] { new { itemId = "sku-7", title = "Teapot" }, new { itemId = "sku-9", title = "Tray" } }));

    private const string CartEmail = """
        {"name": "Cart", "channel": "email", "subject": "{{ profile.traits.firstName }}, your cart",
         "html": "<p>{{ profile.traits.firstName }}</p>{% for line in cart %}<li>{{ line.quantity }} × {{ line.name }}</li>{% endfor %}{% for item in recommendations %}<a href=\"/i/{{ item.itemId }}?r={{ recommendation_id }}\">{{ item.title }}</a>{% endfor %}",
         "text": "{{ event.properties.cart_id }}: {% for line in cart %}{{ line.name }}{% endfor %}",
         "fallback": {"subject": "Your cart", "text": "Your cart is waiting."}}
        """;

    [Test]
    public async Task Renders_the_profile_the_cart_the_entry_event_and_the_recommendations_encoding_only_html()
    {
        var entry = JsonSerializer.SerializeToElement(new { properties = new { cart_id = "c-1" } });
        var message = await TemplateRenderer.RenderAsync(Template(CartEmail), new RenderInput(Ada, entry, Picks));

        Assert.That((message.UsedFallback, message.Problem, message.RecommendationId), Is.EqualTo((false, (string?)null, "rec-42")));
        Assert.That(message.Parts!["subject"], Is.EqualTo("Ada <3, your cart"));
        Assert.That(message.Parts["html"], Is.EqualTo(
            "<p>Ada &lt;3</p><li>2 × Mug &amp; Saucer</li><a href=\"/i/sku-7?r=rec-42\">Teapot</a><a href=\"/i/sku-9?r=rec-42\">Tray</a>"));
        Assert.That(message.Parts["text"], Is.EqualTo("c-1: Mug & Saucer"));
    }

    [Test]
    public async Task Without_recommendations_the_fallback_is_sent_whole_and_without_one_nothing_is()
    {
        var message = await TemplateRenderer.RenderAsync(Template(CartEmail), new RenderInput(Ada, null, null));
        Assert.That(message.UsedFallback, Is.True);
        Assert.That(message.Parts, Is.EqualTo(new Dictionary<string, string> { ["subject"] = "Your cart", ["text"] = "Your cart is waiting." }));
        Assert.That(message.Problem, Does.Contain("no recommendations"));

        var bare = Template("""{"name": "Bare", "channel": "push", "title": "For you", "body": "{{ recommendations[0].title }}"}""");
        var nothing = await TemplateRenderer.RenderAsync(bare, new RenderInput(Ada, null, null));
        Assert.That(nothing.Parts, Is.Null, "never half a message");
        Assert.That(nothing.Problem, Does.Contain("no fallback"));
    }

    [Test]
    public async Task A_template_that_fails_while_rendering_falls_back()
    {
        var runaway = Template("""
            {"name": "Runaway", "channel": "webhook", "body": "{% for i in (1..10000000) %}x{% endfor %}", "fallback": {"body": "{\"person\": \"{{ profile.userKey }}\"}"}}
            """);
        var message = await TemplateRenderer.RenderAsync(runaway, new RenderInput(Ada, null, null));
        Assert.That(message.UsedFallback, Is.True);
        Assert.That(message.Problem, Does.Contain("failed to render"));
        Assert.That(message.Parts!["body"], Is.EqualTo("{\"person\": \"user:ada\"}"));
    }

    [Test]
    public async Task A_person_without_a_profile_still_gets_the_parts_that_do_not_need_one()
    {
        var message = await TemplateRenderer.RenderAsync(Template(CartEmail), new RenderInput(null, null, Picks));
        Assert.That(message.UsedFallback, Is.False);
        Assert.That(message.Parts!["subject"], Is.EqualTo(", your cart"));
    }
}
