using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.CloudEvents;

/// <summary>
/// CloudEvents 1.0 over HTTP (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md)
/// in structured, binary and batch mode, translated into Segment calls so they go through the same validation,
/// deduplication and storage as everything else:
/// - a track call named by <c>type</c>, or the call type named by the <c>calltype</c> extension (identify, page, ...);
/// - <c>userid</c> extension, else <c>subject</c>, is the user id; <c>anonymousid</c> extension the anonymous id;
/// - <c>data</c> (a JSON object) becomes properties (traits for identify and group), <c>time</c> the timestamp;
/// - the message id is <c>ce:{source}:{id}</c>, since source + id identify a CloudEvent, so redelivery deduplicates.
/// A batch is taken in part as Segment batches are: each invalid CloudEvent is set aside as sent, with its reasons.
/// </summary>
public static class CloudEventsTranslator
{
    public const string StructuredType = "application/cloudevents+json";
    public const string BatchType = "application/cloudevents-batch+json";
    private static readonly string[] Required = ["specversion", "id", "source", "type"];

    /// <summary>A repeated attribute is refused rather than one of its values picked; depth bounded as for Segment calls.</summary>
    private static readonly JsonDocumentOptions Reading = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static ParseResult Parse(string? contentType, IHeaderDictionary headers, ReadOnlyMemory<byte> body, EventOrigin origin)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        // Text PostgreSQL or .NET cannot hold (NUL, half an emoji) becomes U+FFFD, as in Segment calls.
        body = SegmentMessageParser.ReplaceUnstorableText(body);
        List<JsonObject> events;
        try
        {
            events = mediaType switch
            {
                BatchType => JsonNode.Parse(body.Span, documentOptions: Reading) is JsonArray array
                    ? array.Select(node => node as JsonObject ?? throw new FormatException("Each entry of a batch must be a JSON object.")).ToList()
                    : throw new FormatException("A CloudEvents batch must be a JSON array."),
                StructuredType => [JsonNode.Parse(body.Span, documentOptions: Reading) as JsonObject ?? throw new FormatException("A structured CloudEvent must be a JSON object.")],
                _ => [FromBinary(mediaType, headers, body)],
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return Failed("$", ex is JsonException ? $"The body is not valid JSON: {ex.Message}" : ex.Message);
        }

        var isBatch = mediaType == BatchType;
        string PathOf(int index) => isBatch ? $"[{index}]" : "$";
        var errors = new Dictionary<string, string[]>();
        var invalid = new List<InvalidMessage>();
        void SetAside(int index, IReadOnlyList<string> reasons)
        {
            errors[PathOf(index)] = [.. reasons];
            invalid.Add(new InvalidMessage(PathOf(index), events[index].ToJsonString(), reasons, MessageFormat.CloudEvent));
        }

        var batch = new JsonArray();
        var eventIndexOf = new List<int>();
        for (var i = 0; i < events.Count; i++)
        {
            if (ToSegment(events[i]) is { } message)
            {
                batch.Add(message);
                eventIndexOf.Add(i);
            }
            else SetAside(i, [.. Missing(events[i])]);
        }
        if (events.Count == 0)
            return Failed("$", "The batch holds no events.");

        var parsed = batch.Count == 0 ? new ParseResult([], new Dictionary<string, string[]>())
            : SegmentMessageParser.ParseBatch(Encoding.UTF8.GetBytes(new JsonObject { ["batch"] = batch }.ToJsonString()), origin);
        // Name problems by CloudEvent, not by the position in the Segment batch made from them.
        foreach (var (key, problems) in parsed.Errors)
        {
            if (key.StartsWith("batch[", StringComparison.Ordinal)) SetAside(eventIndexOf[int.Parse(key[6..^1])], problems);
            else errors[key] = problems;
        }
        if (isBatch) return new ParseResult(parsed.Events, errors, invalid);
        return errors.Count > 0 ? new ParseResult([], errors) : parsed;
    }

    /// <summary>A CloudEvent set aside as invalid, judged again when it is replayed.</summary>
    public static (EventAccepted? Event, IReadOnlyList<string> Problems) ParseStored(string raw, EventOrigin origin)
    {
        if (JsonNode.Parse(raw) is not JsonObject ce) return (null, ["A CloudEvent must be a JSON object."]);
        return ToSegment(ce) is { } message ? SegmentMessageParser.ParseStored(message.ToJsonString(), origin) : (null, [.. Missing(ce)]);
    }

    /// <summary>The message id a CloudEvent is stored under: its source and id identify it.</summary>
    public static string MessageIdOf(string source, string id) => $"ce:{source}:{id}";

    /// <summary>Binary mode: attributes in ce-* headers, the body is the data.</summary>
    private static JsonObject FromBinary(string? mediaType, IHeaderDictionary headers, ReadOnlyMemory<byte> body)
    {
        if (mediaType is not ("application/json" or null) && !(mediaType?.EndsWith("+json", StringComparison.Ordinal) ?? false))
            throw new FormatException($"Send CloudEvents as {StructuredType}, {BatchType}, or binary mode with JSON data (Content-Type application/json); got {mediaType}.");
        var ce = new JsonObject();
        foreach (var (name, value) in headers)
            if (name.StartsWith("ce-", StringComparison.OrdinalIgnoreCase))
                ce[name[3..].ToLowerInvariant()] = Uri.UnescapeDataString(value.ToString());
        if (!body.IsEmpty)
            ce["data"] = JsonNode.Parse(body.Span, documentOptions: Reading);
        return ce;
    }

    private static IEnumerable<string> Missing(JsonObject ce)
    {
        foreach (var attribute in Required)
            if (Text(ce, attribute) is null)
                yield return $"\"{attribute}\" is required.";
        if (Text(ce, "specversion") is { } version && version != "1.0")
            yield return $"\"specversion\" must be \"1.0\"; got \"{version}\".";
        if (ce["data"] is { } data && data is not JsonObject)
            yield return "\"data\" must be a JSON object.";
        if (ce["data_base64"] is not null)
            yield return "\"data_base64\" is not supported: send JSON data.";
    }

    private static JsonObject? ToSegment(JsonObject ce)
    {
        if (Missing(ce).Any()) return null;
        var callType = Text(ce, "calltype") ?? EventTypes.Track;
        var message = new JsonObject
        {
            ["type"] = callType,
            ["messageId"] = MessageIdOf(Text(ce, "source")!, Text(ce, "id")!),
            ["userId"] = Text(ce, "userid") ?? Text(ce, "subject"),
            ["anonymousId"] = Text(ce, "anonymousid"),
            ["timestamp"] = Text(ce, "time"),
            ["context"] = new JsonObject { ["cloudevents"] = new JsonObject { ["source"] = Text(ce, "source"), ["type"] = Text(ce, "type") } },
        };
        if (callType == EventTypes.Track) message["event"] = Text(ce, "type");
        var data = ce["data"]?.DeepClone();
        if (data is not null)
            message[callType is EventTypes.Identify or EventTypes.Group ? "traits" : "properties"] = data;
        foreach (var extra in new[] { "groupid", "previousid", "name" })
            if (Text(ce, extra) is { } value)
                message[extra switch { "groupid" => "groupId", "previousid" => "previousId", _ => "name" }] = value;
        return message;
    }

    private static string? Text(JsonObject ce, string attribute) =>
        ce[attribute] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static ParseResult Failed(string path, string error) => new([], new Dictionary<string, string[]> { [path] = [error] });
}
