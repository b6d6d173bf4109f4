using Personalization.Contracts;
using System.Text.Json;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Tests.Templates;

public class TemplateParserTests
{
    private static (MessageTemplate? Template, Dictionary<string, string[]> Faults) Parse(string json)
    {
        var (template, faults) = TemplateParser.Parse(JsonDocument.Parse(json).RootElement);
        return (template, faults.ToDictionary());
    }

    [Test]
    public void An_email_template_parses_its_parts_and_its_fallback()
    {
        var (template, faults) = Parse("""
            {"name": "Cart reminder", "channel": "email", "subject": "{{ profile.traits.firstName | default: 'Hi' }}, your cart",
             "html": "<ul>{% for item in cart %}<li>{{ item.name }}</li>{% endfor %}</ul>", "text": "Your cart is waiting",
             "fallback": {"subject": "Your cart", "text": "Your cart is waiting"}}
            """);
        Assert.That(faults, Is.Empty);
        Assert.That(template!.Channel, Is.EqualTo(Channel.Email));
        Assert.That(template.Parts.Keys, Is.EquivalentTo(new[] { "subject", "html", "text" }));
        Assert.That(template.Fallback!.Keys, Is.EquivalentTo(new[] { "subject", "text" }));
    }

    [TestCase("""{"name": "x", "channel": "email", "subject": "Hi {{ name ", "text": "t"}""", "$.subject", "does not parse")]
    [TestCase("""{"name": "x", "channel": "email", "subject": "Hi", "html": "{% for x in y %}"}""", "$.html", "does not parse")]
    [TestCase("""{"name": "x", "channel": "email", "text": "t"}""", "$", "subject")]
    [TestCase("""{"name": "x", "channel": "email", "subject": "s"}""", "$", "\"html\" or a \"text\"")]
    [TestCase("""{"name": "x", "channel": "push", "title": "t"}""", "$", "\"body\"")]
    [TestCase("""{"name": "x", "channel": "pigeon", "body": "t"}""", "$.channel", "email")]
    [TestCase("""{"name": "x", "channel": "-1", "body": "t"}""", "$.channel", "email")]
    [TestCase("""{"name": "x", "channel": "push, webhook", "body": "t"}""", "$.channel", "email")]
    [TestCase("""{"name": "x", "channel": "push", "title": "t", "body": "b", "subject": "s"}""", "$.subject", "Unknown property")]
    [TestCase("""{"name": "x", "channel": "webhook", "body": "{}", "fallback": {"body": "{{ oops"}}""", "$.fallback.body", "does not parse")]
    [TestCase("""{"channel": "webhook", "body": "{}"}""", "$.name", "Required")]
    public void A_bad_template_gets_a_fault_at_its_path(string json, string path, string message)
    {
        var (template, faults) = Parse(json);
        Assert.That(template, Is.Null);
        Assert.That(faults.Keys, Does.Contain(path), string.Join("; ", faults.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")));
        Assert.That(string.Join(" ", faults[path]), Does.Contain(message));
    }
}
