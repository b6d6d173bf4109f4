using Personalization.Contracts.EventLog;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Personalization.Contracts;

namespace Personalization.Ingestion.Validation;

/// <summary>
/// Parses Segment tracking-API bodies (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/):
/// a batch (<c>{"batch":[...]}</c>) or a single call whose type comes from the route. A body that is not JSON or
/// not a batch is rejected whole; in a well-formed batch each message is judged on its own (<see cref="ParseResult.Invalid"/>),
/// so its valid messages can be stored as Segment does, or the whole batch refused for a source that asks for that.
/// </summary>
public static class SegmentMessageParser
{
    public const int MaxMessagesPerBatch = 2_500;
    private const int MaxIdLength = 256;

    public static ParseResult ParseBatch(ReadOnlyMemory<byte> body, EventOrigin origin) =>
        Parse(body, origin, root =>
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch", out var batch))
                return (null, "The body must be a JSON object with a \"batch\" array.");
            if (batch.ValueKind != JsonValueKind.Array)
                return (null, "\"batch\" must be an array.");
            if (batch.GetArrayLength() == 0)
                return (null, "\"batch\" must hold at least one message.");
            if (batch.GetArrayLength() > MaxMessagesPerBatch)
                return (null, $"\"batch\" holds more than {MaxMessagesPerBatch} messages.");
            return (batch.EnumerateArray().Select((message, i) => ($"batch[{i}]", message, (string?)null)).ToList(), null);
        }, inParts: true);

    public static ParseResult ParseSingle(ReadOnlyMemory<byte> body, string type, EventOrigin origin) =>
        Parse(body, origin, root => root.ValueKind == JsonValueKind.Object
            ? ([("$", root, type)], null)
            : (null, "The body must be a JSON object."), inParts: false);

    /// <summary>A message set aside as invalid, judged again (as a batch's message) when it is replayed.</summary>
    public static (EventAccepted? Event, IReadOnlyList<string> Problems) ParseStored(string raw, EventOrigin origin)
    {
        using var document = JsonDocument.Parse(ReplaceUnstorableText(System.Text.Encoding.UTF8.GetBytes(raw)), new JsonDocumentOptions { MaxDepth = 64 });
        var problems = new List<string>();
        var parsed = ParseMessage(document.RootElement, null, origin, problems);
        return (problems.Count == 0 ? parsed : null, problems);
    }

    private static ParseResult Parse(
        ReadOnlyMemory<byte> body,
        EventOrigin origin,
        Func<JsonElement, (List<(string Path, JsonElement Message, string? RouteType)>? Messages, string? Error)> select,
        bool inParts)
    {
        var errors = new Dictionary<string, string[]>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(ReplaceUnstorableText(body), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            errors["$"] = [$"The body is not valid JSON: {ex.Message}"];
            return new ParseResult([], errors);
        }

        using (document)
        {
            var (messages, error) = select(document.RootElement);
            if (messages is null)
            {
                errors["$"] = [error!];
                return new ParseResult([], errors);
            }

            var events = new List<EventAccepted>(messages.Count);
            var invalid = new List<InvalidMessage>();
            foreach (var (path, message, routeType) in messages)
            {
                var problems = new List<string>();
                var parsed = ParseMessage(message, routeType, origin, problems);
                if (problems.Count > 0)
                {
                    errors[path] = [.. problems];
                    invalid.Add(new InvalidMessage(path, message.GetRawText(), problems));
                }
                else
                    events.Add(parsed!);
            }
            return new ParseResult(events, errors, inParts ? invalid : null);
        }
    }

    private static EventAccepted? ParseMessage(
        JsonElement message, string? routeType, EventOrigin origin, List<string> problems)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            problems.Add("A message must be a JSON object.");
            return null;
        }

        var type = ReadString(message, "type", problems);
        if (routeType is not null)
        {
            if (type is not null && type != routeType)
                problems.Add($"\"type\" is \"{type}\" but this endpoint takes \"{routeType}\" calls.");
            type = routeType;
        }
        else if (type is null)
            problems.Add("\"type\" is required.");
        else if (!EventTypes.All.Contains(type))
            problems.Add($"\"type\" must be one of {string.Join(", ", EventTypes.All)}; got \"{type}\".");

        var userId = ReadId(message, "userId", problems);
        var anonymousId = ReadId(message, "anonymousId", problems);
        if (userId is null && anonymousId is null)
            problems.Add("\"userId\" or \"anonymousId\" is required.");

        var name = type switch
        {
            EventTypes.Track => RequireString(message, "event", problems),
            EventTypes.Page or EventTypes.Screen => ReadString(message, "name", problems),
            _ => null,
        };
        if (type == EventTypes.Alias) ReadId(message, "previousId", problems, required: true);
        if (type == EventTypes.Group) ReadId(message, "groupId", problems, required: true);

        foreach (var objectField in new[] { "properties", "traits", "context", "integrations" })
            if (message.TryGetProperty(objectField, out var value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                problems.Add($"\"{objectField}\" must be an object.");

        if (StorableNumbers.FindUnstorable(message) is { } number)
            problems.Add($"\"{number}\" is a number too large or too precise to store: at most 131072 digits before the decimal point and 16383 after.");

        var timestamp = ReadTimestamp(message, "timestamp", problems) ?? ReadTimestamp(message, "originalTimestamp", problems);
        var messageId = ReadId(message, "messageId", problems);

        if (problems.Count > 0) return null;
        return new EventAccepted(
            origin.TenantId,
            origin.SourceId,
            messageId ?? ContentId(message),
            type!,
            name,
            userId,
            anonymousId,
            timestamp ?? origin.ReceivedAt,
            origin.ReceivedAt,
            message.Clone())
        { TraceParent = origin.TraceParent };
    }

    private static readonly byte[] EscapedReplacementCharacter = "\\ufffd"u8.ToArray();

    /// <summary>
    /// Replaces text that cannot be stored with U+FFFD: invalid UTF-8, and the JSON escapes <c>\u0000</c> and unpaired
    /// surrogates. Those escapes are legal JSON, and JavaScript SDKs send them whenever an app's string holds a NUL or
    /// half an emoji; but PostgreSQL refuses U+0000 in text and jsonb, and .NET cannot read a lone surrogate as a
    /// string. Kept as they are, they fail the request (500) or its whole group commit (503), and the SDK re-sends the
    /// same batch until it gives up. Segment's own pipeline (Go's encoding/json) also turns such text into U+FFFD.
    /// The replacement is deterministic, so a re-sent message still deduplicates.
    /// </summary>
    internal static ReadOnlyMemory<byte> ReplaceUnstorableText(ReadOnlyMemory<byte> body)
    {
        if (!Utf8.IsValid(body.Span))
            body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body.Span));

        var text = body.Span;
        if (text.IndexOf("\\u"u8) < 0) return body;

        byte[]? copy = null;
        var highAt = -1; // a high-surrogate escape waiting for its low half, which must follow at once
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != (byte)'\\')
            {
                EndPair(ref highAt);
                continue;
            }
            if (i + 5 < text.Length && text[i + 1] == (byte)'u' && TryReadHex(text.Slice(i + 2, 4), out var unit))
            {
                if (char.IsHighSurrogate(unit))
                {
                    EndPair(ref highAt);
                    highAt = i;
                }
                else if (char.IsLowSurrogate(unit))
                {
                    if (highAt < 0) Replace(i);
                    highAt = -1;
                }
                else
                {
                    EndPair(ref highAt);
                    if (unit == '\0') Replace(i);
                }
                i += 5;
            }
            else
            {
                // Any other escape (\" \\ \n ...): its second character is not the start of another escape.
                EndPair(ref highAt);
                i++;
            }
        }
        EndPair(ref highAt);
        return copy ?? body;

        void EndPair(ref int at)
        {
            if (at >= 0) Replace(at);
            at = -1;
        }

        void Replace(int at)
        {
            copy ??= body.ToArray();
            EscapedReplacementCharacter.CopyTo(copy, at);
        }
    }

    private static bool TryReadHex(ReadOnlySpan<byte> digits, out char unit)
    {
        var ok = ushort.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value);
        unit = (char)value;
        return ok;
    }

    // A re-sent message without a messageId hashes to the same id, so retries still deduplicate.
    private static string ContentId(JsonElement message) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(message)));

    private static string? ReadString(JsonElement message, string field, List<string> problems)
    {
        if (!message.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        problems.Add($"\"{field}\" must be a string.");
        return null;
    }

    private static string? RequireString(JsonElement message, string field, List<string> problems)
    {
        var value = ReadString(message, field, problems);
        var wrongKind = message.TryGetProperty(field, out var raw) && raw.ValueKind is not (JsonValueKind.String or JsonValueKind.Null);
        if (string.IsNullOrWhiteSpace(value) && !wrongKind)
            problems.Add($"\"{field}\" is required.");
        return value;
    }

    // Ids may arrive as strings or numbers (several SDKs send numeric user ids); both are kept as strings.
    private static string? ReadId(JsonElement message, string field, List<string> problems, bool required = false)
    {
        if (!message.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) problems.Add($"\"{field}\" is required.");
            return null;
        }

        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (id is null)
            problems.Add($"\"{field}\" must be a string or a number.");
        else if (string.IsNullOrWhiteSpace(id))
        {
            if (required) problems.Add($"\"{field}\" is required.");
            return null;
        }
        else if (id.Length > MaxIdLength)
            problems.Add($"\"{field}\" is longer than {MaxIdLength} characters.");
        return id;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement message, string field, List<string> problems)
    {
        if (!message.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var timestamp)) return timestamp;
        problems.Add($"\"{field}\" must be an ISO-8601 date-time.");
        return null;
    }
}
