using System.Text;
using Microsoft.AspNetCore.Http;
using Personalization.Ingestion.CloudEvents;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Tests.CloudEvents;

public class CloudEventsTranslatorTests
{
    private static readonly EventOrigin Origin = new("t", "web", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static ParseResult Parse(string? contentType, string body, Dictionary<string, string>? headers = null)
    {
        var headerDictionary = new HeaderDictionary();
        foreach (var (name, value) in headers ?? []) headerDictionary[name] = value;
        return CloudEventsTranslator.Parse(contentType, headerDictionary, Encoding.UTF8.GetBytes(body), Origin);
    }

    [Test]
    public void Structured_event_becomes_a_track_call_named_by_its_type()
    {
        var result = Parse("application/cloudevents+json; charset=utf-8", """
            {"specversion":"1.0","id":"e-1","source":"/shop","type":"Product Viewed","subject":"u1",
             "time":"2026-01-02T03:04:05Z","data":{"product_id":"sku-1"}}
            """);

        Assert.That(result.Errors, Is.Empty);
        var e = result.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Type, Is.EqualTo("track"));
            Assert.That(e.Name, Is.EqualTo("Product Viewed"));
            Assert.That(e.UserId, Is.EqualTo("u1"));
            Assert.That(e.MessageId, Is.EqualTo("ce:/shop:e-1"));
            Assert.That(e.Timestamp, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
            Assert.That(e.Payload.GetProperty("properties").GetProperty("product_id").GetString(), Is.EqualTo("sku-1"));
            Assert.That(e.Payload.GetProperty("context").GetProperty("cloudevents").GetProperty("source").GetString(), Is.EqualTo("/shop"));
        });
    }

    [Test]
    public void Binary_event_takes_its_attributes_from_ce_headers()
    {
        var result = Parse("application/json", """{"email":"a@example.com"}""", new()
        {
            ["ce-specversion"] = "1.0", ["ce-id"] = "e-2", ["ce-source"] = "crm", ["ce-type"] = "com.example.user.updated",
            ["ce-calltype"] = "identify", ["ce-anonymousid"] = "anon-7",
        });

        Assert.That(result.Errors, Is.Empty);
        var e = result.Events.Single();
        Assert.That((e.Type, e.AnonymousId, e.UserId), Is.EqualTo(("identify", "anon-7", (string?)null)));
        Assert.That(e.Payload.GetProperty("traits").GetProperty("email").GetString(), Is.EqualTo("a@example.com"));
    }

    [Test]
    public void Batch_mode_translates_every_valid_event_and_sets_each_bad_one_aside_as_sent_by_index()
    {
        var good = Parse("application/cloudevents-batch+json", """
            [{"specversion":"1.0","id":"1","source":"s","type":"A","subject":"u"},
             {"specversion":"1.0","id":"2","source":"s","type":"B","userid":"u2"}]
            """);
        var mixed = Parse("application/cloudevents-batch+json", """
            [{"specversion":"1.0","id":"1","source":"s","type":"A","subject":"u"},
             {"specversion":"0.3","source":"s","type":"B","subject":"u"},
             {"specversion":"1.0","id":"3","source":"s","type":"C"}]
            """);

        Assert.That(good.Events.Select(e => e.Name), Is.EqualTo(new[] { "A", "B" }));
        Assert.Multiple(() =>
        {
            Assert.That(mixed.Events.Select(e => e.Name), Is.EqualTo(new[] { "A" }), "the valid event is kept");
            Assert.That(mixed.CanTakeInPart, Is.True);
            Assert.That(mixed.Errors.Keys, Is.EquivalentTo(new[] { "[1]", "[2]" }));
            Assert.That(mixed.Errors["[1]"], Has.Some.Contains("\"id\" is required").And.Some.Contains("\"1.0\""));
            Assert.That(mixed.Errors["[2]"], Has.Some.Contains("\"userId\" or \"anonymousId\""));
            Assert.That(mixed.Invalid!.Select(i => i.Format), Is.All.EqualTo(MessageFormat.CloudEvent));
            Assert.That(mixed.Invalid!.Single(i => i.Path == "[2]").Raw, Does.Contain("\"type\":\"C\"").And.Contain("\"specversion\""), "kept as the CloudEvent sent");
        });
    }

    [Test]
    public void A_single_cloudevent_stays_all_or_nothing()
    {
        var result = Parse("application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"s","type":"A"}""");

        Assert.That((result.IsValid, result.Invalid, result.Events.Count), Is.EqualTo((false, (IReadOnlyList<InvalidMessage>?)null, 0)));
    }

    [Test]
    public void A_set_aside_cloudevent_is_judged_again_as_a_cloudevent_and_summarised_for_listings()
    {
        const string Fixed = """{"specversion":"1.0","id":"9","source":"/shop","type":"Product Viewed","subject":"u9","data":{"product_id":"p"}}""";
        const string StillBad = """{"specversion":"1.0","id":"9","source":"/shop","type":"Product Viewed"}""";

        var (replayed, none) = StoredMessages.Parse(Fixed, MessageFormat.CloudEvent, Origin);
        var (_, problems) = StoredMessages.Parse(StillBad, MessageFormat.CloudEvent, Origin);

        Assert.Multiple(() =>
        {
            Assert.That((replayed?.MessageId, replayed?.Name, replayed?.UserId), Is.EqualTo(("ce:/shop:9", "Product Viewed", "u9")));
            Assert.That(none, Is.Empty);
            Assert.That(problems, Has.Some.Contains("\"userId\" or \"anonymousId\""));
            Assert.That(StoredMessages.Summarize(Fixed, MessageFormat.CloudEvent), Is.EqualTo(new RawSummary("ce:/shop:9", "track", "Product Viewed", "u9")));
            Assert.That(StoredMessages.Summarize("""{"type":"track","event":"E","messageId":"m","userId":"u"}""", MessageFormat.Segment),
                Is.EqualTo(new RawSummary("m", "track", "E", "u")));
        });
    }

    [TestCase("application/cloudevents+json", "[1]", "must be a JSON object")]
    [TestCase("application/cloudevents-batch+json", "{}", "must be a JSON array")]
    [TestCase("application/cloudevents+json", "{nope", "not valid JSON")]
    [TestCase("application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"s","type":"A","subject":"u","data_base64":"AAE="}""", "data_base64")]
    [TestCase("application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"s","type":"A","subject":"u","data":[1]}""", "\"data\" must be a JSON object")]
    [TestCase("text/plain", "hello", "binary mode with JSON data")]
    public void Malformed_cloudevents_get_a_clear_reason(string contentType, string body, string reason)
    {
        var result = Parse(contentType, body);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Values.SelectMany(v => v), Has.Some.Contains(reason));
    }

    [Test]
    public void A_repeated_attribute_is_a_clear_error_not_a_crash()
    {
        var result = Parse("application/cloudevents+json", """{"specversion":"1.0","id":"e-1","id":"e-2","source":"/shop","type":"Viewed","subject":"u1"}""");
        Assert.That(result.Events, Is.Empty);
        Assert.That(string.Join(" ", result.Errors["$"]), Does.Contain("not valid JSON").And.Contain("id"));
    }

    [TestCase("""View\uD800ed""", "View\uFFFDed")]
    [TestCase("""Viewed\uDC00""", "Viewed\uFFFD")]
    [TestCase("""Vi\u0000ewed""", "Vi\uFFFDewed")]
    public void Text_that_cannot_be_stored_becomes_the_replacement_character(string sent, string stored)
    {
        var result = Parse("application/cloudevents+json", $$"""{"specversion":"1.0","id":"e-1","source":"/shop","type":"{{sent}}","subject":"u1"}""");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Events.Single().Name, Is.EqualTo(System.Text.RegularExpressions.Regex.Unescape(stored)));
    }
}
