using System.Buffers;
using System.Text.Json;

namespace Personalization.IngestionLoad;

/// <summary>
/// Segment <c>/v1/batch</c> bodies of track calls: every message id unique in the run, users drawn uniformly from a
/// large pool (so a group commit touches about as many streams as it holds events, the hard case for the store).
/// </summary>
public sealed class BatchBodies(string runId, int users, int eventsPerBatch)
{
    private static readonly string[] EventNames = ["Product Viewed", "Product Added", "Product Clicked", "Checkout Started"];
    private long _nextMessage;

    public int EventsPerBatch => eventsPerBatch;

    /// <summary>Writes one batch into <paramref name="buffer"/> (cleared first); Utf8JsonWriter keeps the driver's own CPU small.</summary>
    public void Write(ArrayBufferWriter<byte> buffer, Random random)
    {
        buffer.ResetWrittenCount();
        using var json = new Utf8JsonWriter(buffer);
        var now = DateTimeOffset.UtcNow;
        json.WriteStartObject();
        json.WriteStartArray("batch");
        for (var i = 0; i < eventsPerBatch; i++)
        {
            var message = Interlocked.Increment(ref _nextMessage);
            var product = random.Next(10_000);
            json.WriteStartObject();
            json.WriteString("type", "track");
            json.WriteString("event", EventNames[product & 3]);
            json.WriteString("userId", $"u{random.Next(users)}");
            json.WriteString("messageId", $"{runId}-{message}");
            json.WriteString("timestamp", now);
            json.WriteStartObject("properties");
            json.WriteString("product_id", $"sku-{product}");
            json.WriteNumber("price", 5 + product % 200);
            json.WriteString("currency", "EUR");
            json.WriteEndObject();
            json.WriteStartObject("context");
            json.WriteString("ip", "203.0.113.7");
            json.WriteStartObject("library");
            json.WriteString("name", "IngestionLoad");
            json.WriteString("version", "1.0");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
