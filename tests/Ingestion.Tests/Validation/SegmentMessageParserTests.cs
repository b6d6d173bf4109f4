using System.Text;
using System.Text.Json;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Tests.Validation;

public class SegmentMessageParserTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly EventOrigin Origin = new("tenant-a", "web", ReceivedAt);

    private static ParseResult Batch(string json) => SegmentMessageParser.ParseBatch(Encoding.UTF8.GetBytes(json), Origin);

    [Test]
    public void Valid_batch_yields_every_call_type()
    {
        var result = Batch("""
            {"batch":[
              {"type":"track","event":"Product Viewed","userId":"u1","messageId":"m1","timestamp":"2026-01-02T03:04:05Z","properties":{"sku":"A"}},
              {"type":"identify","anonymousId":"a1","traits":{"email":"x@example.com"},"messageId":"m2"},
              {"type":"page","name":"Home","userId":"u1","messageId":"m3"},
              {"type":"screen","name":"Cart","userId":"u1","messageId":"m4"},
              {"type":"group","groupId":"g1","userId":"u1","messageId":"m5"},
              {"type":"alias","previousId":"a1","userId":"u1","messageId":"m6"}
            ]}
            """);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Events.Select(e => e.Type), Is.EqualTo(new[] { "track", "identify", "page", "screen", "group", "alias" }));
        var track = result.Events[0];
        Assert.Multiple(() =>
        {
            Assert.That(track.Name, Is.EqualTo("Product Viewed"));
            Assert.That(track.UserId, Is.EqualTo("u1"));
            Assert.That(track.MessageId, Is.EqualTo("m1"));
            Assert.That(track.TenantId, Is.EqualTo("tenant-a"));
            Assert.That(track.SourceId, Is.EqualTo("web"));
            Assert.That(track.ReceivedAt, Is.EqualTo(ReceivedAt));
            Assert.That(track.Timestamp, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
            Assert.That(track.Payload.GetProperty("properties").GetProperty("sku").GetString(), Is.EqualTo("A"));
            Assert.That(result.Events[1].AnonymousId, Is.EqualTo("a1"));
            Assert.That(result.Events[2].Name, Is.EqualTo("Home"));
        });
    }

    [Test]
    public void Each_invalid_message_is_named_with_its_reason()
    {
        var result = Batch("""
            {"batch":[
              {"type":"track","event":"ok","userId":"u1"},
              {"event":"no type","userId":"u1"},
              {"type":"track","event":"no user"},
              {"type":"bogus","userId":"u1"},
              {"type":"track","userId":"u1"},
              {"type":"alias","userId":"u1"},
              {"type":"group","userId":"u1"},
              {"type":"track","event":"x","userId":"u1","timestamp":"yesterday"},
              {"type":"track","event":"x","userId":{"id":1}},
              {"type":"track","event":"x","userId":"u1","properties":[1,2]}
            ]}
            """);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Events.Select(e => e.Name), Is.EqualTo(new[] { "ok" }), "the valid message, which a batch taken in part stores");
        Assert.That(result.CanTakeInPart, Is.True);
        Assert.That(result.Invalid!.Select(m => m.Path), Is.EqualTo(Enumerable.Range(1, 9).Select(i => $"batch[{i}]")));
        Assert.That(result.Invalid![0].Raw, Is.EqualTo("""{"event":"no type","userId":"u1"}"""), "each invalid message is kept as sent");
        Assert.That(result.Errors.Keys, Is.EquivalentTo(Enumerable.Range(1, 9).Select(i => $"batch[{i}]")));
        Assert.Multiple(() =>
        {
            Assert.That(result.Errors["batch[1]"], Has.Some.Contains("\"type\" is required"));
            Assert.That(result.Errors["batch[2]"], Has.Some.Contains("\"userId\" or \"anonymousId\" is required"));
            Assert.That(result.Errors["batch[3]"], Has.Some.Contains("\"type\" must be one of"));
            Assert.That(result.Errors["batch[4]"], Has.Some.Contains("\"event\" is required"));
            Assert.That(result.Errors["batch[5]"], Has.Some.Contains("\"previousId\" is required"));
            Assert.That(result.Errors["batch[6]"], Has.Some.Contains("\"groupId\" is required"));
            Assert.That(result.Errors["batch[7]"], Has.Some.Contains("ISO-8601"));
            Assert.That(result.Errors["batch[8]"], Has.Some.Contains("\"userId\" must be a string or a number"));
            Assert.That(result.Errors["batch[9]"], Has.Some.Contains("\"properties\" must be an object"));
        });
    }

    [TestCase("{not json", "not valid JSON")]
    [TestCase("[]", "\"batch\" array")]
    [TestCase("{\"batch\":{}}", "must be an array")]
    [TestCase("{\"batch\":[]}", "at least one message")]
    [TestCase("{\"batch\":[42]}", "must be a JSON object")]
    public void Malformed_body_is_rejected_with_a_clear_reason(string body, string reason)
    {
        var result = Batch(body);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Values.SelectMany(v => v), Has.Some.Contains(reason));
    }

    [Test]
    public void Single_call_takes_its_type_from_the_route()
    {
        var result = SegmentMessageParser.ParseSingle(Encoding.UTF8.GetBytes("""{"event":"Signed Up","userId":42}"""), "track", Origin);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Events.Single().Type, Is.EqualTo("track"));
        Assert.That(result.Events.Single().UserId, Is.EqualTo("42"), "numeric ids are kept as their text");
    }

    [Test]
    public void Single_call_with_a_conflicting_type_is_rejected()
    {
        var result = SegmentMessageParser.ParseSingle(Encoding.UTF8.GetBytes("""{"type":"page","event":"x","userId":"u"}"""), "track", Origin);

        Assert.That(result.Errors["$"], Has.Some.Contains("takes \"track\" calls"));
        Assert.That(result.CanTakeInPart, Is.False, "a single call is all there is: nothing to take in part");
    }

    [TestCase("{\"batch\":{}}")]
    [TestCase("not json")]
    public void A_body_that_is_not_a_batch_cannot_be_taken_in_part(string body)
    {
        Assert.That(Batch(body).CanTakeInPart, Is.False);
    }

    [Test]
    public void A_stored_invalid_message_is_judged_again_on_replay()
    {
        var (invalid, problems) = SegmentMessageParser.ParseStored("""{"event":"x"}""", Origin);
        var (valid, none) = SegmentMessageParser.ParseStored("""{"type":"track","event":"x","userId":"u1"}""", Origin);

        Assert.That(invalid, Is.Null);
        Assert.That(problems, Has.Some.Contains("\"type\" is required"));
        Assert.That(valid!.Name, Is.EqualTo("x"));
        Assert.That(none, Is.Empty);
    }

    [Test]
    public void Message_without_id_gets_a_stable_content_id_so_a_resend_deduplicates()
    {
        const string body = """{"batch":[{"type":"track","event":"x","userId":"u","timestamp":"2026-01-01T00:00:00Z"}]}""";

        var first = Batch(body).Events.Single().MessageId;
        var second = Batch(body).Events.Single().MessageId;
        var other = Batch(body.Replace("\"x\"", "\"y\"")).Events.Single().MessageId;

        Assert.That(first, Is.EqualTo(second));
        Assert.That(first, Is.Not.EqualTo(other));
    }

    [Test]
    public void Original_timestamp_is_used_when_timestamp_is_absent()
    {
        var result = Batch("""{"batch":[{"type":"track","event":"x","userId":"u","originalTimestamp":"2025-05-05T05:05:05.123+02:00"}]}""");

        Assert.That(result.Events.Single().Timestamp, Is.EqualTo(new DateTimeOffset(2025, 5, 5, 5, 5, 5, 123, TimeSpan.FromHours(2))));
    }

    [Test]
    public void Message_without_a_time_is_stamped_with_the_receive_time()
    {
        var result = Batch("""{"batch":[{"type":"track","event":"x","userId":"u"}]}""");

        Assert.That(result.Events.Single().Timestamp, Is.EqualTo(ReceivedAt));
    }

    [Test]
    public void Text_postgres_cannot_store_is_kept_with_replacement_characters()
    {
        // What JSON.stringify makes of JavaScript strings holding a NUL or half an emoji, as the Node SDKs send them.
        var result = Batch("""
            {"batch":[{"type":"track","event":"cut \ud83d","userId":"u\u00001","messageId":"m\ude00","properties":{
              "nul":"a\u0000b","high":"x\ud83dy","low":"x\ude00y","highThenEscape":"\ud83d\n","twoHighs":"\ud83d\ud83d\ude00",
              "pair":"\ud83d\ude00","escapedBackslash":"\\u0000","tab":"\u0009","key\u0000":1}}]}
            """);

        Assert.That(result.Errors, Is.Empty);
        var message = result.Events.Single();
        var properties = message.Payload.GetProperty("properties");
        Assert.Multiple(() =>
        {
            Assert.That(message.Name, Is.EqualTo("cut \uFFFD"));
            Assert.That(message.UserId, Is.EqualTo("u\uFFFD1"));
            Assert.That(message.MessageId, Is.EqualTo("m\uFFFD"));
            Assert.That(properties.GetProperty("nul").GetString(), Is.EqualTo("a\uFFFDb"));
            Assert.That(properties.GetProperty("high").GetString(), Is.EqualTo("x\uFFFDy"));
            Assert.That(properties.GetProperty("low").GetString(), Is.EqualTo("x\uFFFDy"));
            Assert.That(properties.GetProperty("highThenEscape").GetString(), Is.EqualTo("\uFFFD\n"));
            Assert.That(properties.GetProperty("twoHighs").GetString(), Is.EqualTo("\uFFFD\U0001F600"));
            Assert.That(properties.GetProperty("pair").GetString(), Is.EqualTo("\U0001F600"), "a whole emoji is kept");
            Assert.That(properties.GetProperty("escapedBackslash").GetString(), Is.EqualTo("\\u0000"), "an escaped backslash is not an escape");
            Assert.That(properties.GetProperty("tab").GetString(), Is.EqualTo("\t"));
            Assert.That(properties.TryGetProperty("key\uFFFD", out _), Is.True, "property names too");
            Assert.That(() => JsonSerializer.Serialize(message.Payload), Throws.Nothing, "the payload serializes (a lone surrogate throws)");
        });
    }

    [Test]
    public void Text_that_is_not_utf8_is_kept_with_replacement_characters()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"batch":[{"type":"track","event":"x"""), 0xff, .. Encoding.UTF8.GetBytes("""y","userId":"u"}]}""")];

        var result = SegmentMessageParser.ParseBatch(body, Origin);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Events.Single().Name, Is.EqualTo("x\uFFFDy"));
    }

    [Test]
    public void Replacing_unstorable_text_is_deterministic_so_a_resend_deduplicates()
    {
        const string body = """{"batch":[{"type":"track","event":"x","userId":"u","properties":{"t":"\ud83d"}}]}""";

        Assert.That(Batch(body).Events.Single().MessageId, Is.EqualTo(Batch(body).Events.Single().MessageId));
    }

    [Test]
    public void Oversized_batch_count_is_rejected()
    {
        var messages = string.Join(',', Enumerable.Repeat("""{"type":"track","event":"x","userId":"u"}""", SegmentMessageParser.MaxMessagesPerBatch + 1));

        var result = Batch($$"""{"batch":[{{messages}}]}""");

        Assert.That(result.Errors["$"], Has.Some.Contains("more than"));
    }
}
