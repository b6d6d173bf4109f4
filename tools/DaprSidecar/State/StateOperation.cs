using System.Text.Json;

namespace Personalization.DaprSidecar.State;

/// <summary>One step of an actor state transaction: set a key to a JSON value, or delete it.</summary>
public sealed record StateOperation(string Key, string? ValueJson)
{
    public bool IsDelete => ValueJson is null;
}

/// <summary>
/// Reads the body of <c>PUT /v1.0/actors/{type}/{id}/state</c>:
/// <c>[{"operation":"upsert","request":{"key":k,"value":&lt;json&gt;}},{"operation":"delete","request":{"key":k}}]</c>.
/// </summary>
public static class StateTransactionParser
{
    /// <exception cref="JsonException">The body is not a JSON array of operations.</exception>
    /// <exception cref="InvalidOperationException">An operation is one daprd would refuse.</exception>
    public static IReadOnlyList<StateOperation> Parse(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException("expected a JSON array of operations");

        var operations = new List<StateOperation>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object) throw new JsonException("each operation must be a JSON object");
            var operation = element.TryGetProperty("operation", out var op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null;
            if (string.IsNullOrEmpty(operation)) throw new InvalidOperationException("operation is empty");
            if (!element.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
                throw new InvalidOperationException("request data is empty");
            var key = request.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (string.IsNullOrEmpty(key)) throw new InvalidOperationException("missing key");

            switch (operation)
            {
                case "upsert":
                    // Real daprd refuses state TTL unless its ActorStateTTL preview feature is on; so do we, rather than
                    // keep state forever that production would expire.
                    if (request.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                        && metadata.TryGetProperty("ttlInSeconds", out _))
                        throw new InvalidOperationException(
                            $"ttlInSeconds is not supported without the \"ActorStateTTL\" feature enabled (key '{key}'); the emulator does not expire actor state");
                    var value = request.TryGetProperty("value", out var v) ? v.GetRawText() : "null";
                    operations.Add(new StateOperation(key, value));
                    break;
                case "delete":
                    operations.Add(new StateOperation(key, null));
                    break;
                default:
                    throw new InvalidOperationException($"operation type {operation} not supported");
            }
        }
        return operations;
    }
}
