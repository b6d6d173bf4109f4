using System.Text.Json;
using Personalization.DaprSidecar.Durations;

namespace Personalization.DaprSidecar.Discovery;

/// <summary>
/// Reads an app's <c>GET /dapr/config</c> answer:
/// <c>{"entities":[..],"actorIdleTimeout":"1h0m0s0ms","reentrancy":{"enabled":b,"maxStackDepth":n},"entitiesConfig":[{"entities":[..],...}]}</c>.
/// </summary>
public static class AppConfigParser
{
    public static IReadOnlyList<ActorTypeSettings> Parse(Uri app, ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("/dapr/config is not a JSON object");

        var appIdle = ReadIdleTimeout(root) ?? ActorTypeSettings.DefaultIdleTimeout;
        var (appReentrant, appDepth) = ReadReentrancy(root) ?? (false, ActorTypeSettings.DefaultMaxStackDepth);

        var settings = new Dictionary<string, ActorTypeSettings>(StringComparer.Ordinal);
        foreach (var type in ReadEntities(root))
            settings[type] = new ActorTypeSettings(type, app, appIdle, appReentrant, appDepth);

        if (root.TryGetProperty("entitiesConfig", out var entityConfigs) && entityConfigs.ValueKind == JsonValueKind.Array)
        {
            foreach (var config in entityConfigs.EnumerateArray())
            {
                // As daprd's TranslateEntityConfig: a per-type entry stands on its own, with daprd's defaults for what it
                // leaves out (the .NET SDK always writes its reentrancy block).
                var idle = ReadIdleTimeout(config) ?? ActorTypeSettings.DefaultIdleTimeout;
                var (reentrant, depth) = ReadReentrancy(config) ?? (false, ActorTypeSettings.DefaultMaxStackDepth);
                foreach (var type in ReadEntities(config))
                    settings[type] = new ActorTypeSettings(type, app, idle, reentrant, depth);
            }
        }
        return [.. settings.Values];
    }

    private static IEnumerable<string> ReadEntities(JsonElement element) =>
        element.TryGetProperty("entities", out var entities) && entities.ValueKind == JsonValueKind.Array
            ? entities.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(t => t.Length > 0).ToList()
            : [];

    private static TimeSpan? ReadIdleTimeout(JsonElement element) =>
        element.TryGetProperty("actorIdleTimeout", out var value) && value.ValueKind == JsonValueKind.String
            && GoDuration.TryParse(value.GetString(), out var idle) && idle > TimeSpan.Zero
            ? idle
            : null;

    private static (bool Enabled, int MaxStackDepth)? ReadReentrancy(JsonElement element)
    {
        if (!element.TryGetProperty("reentrancy", out var reentrancy) || reentrancy.ValueKind != JsonValueKind.Object)
            return null;
        var enabled = reentrancy.TryGetProperty("enabled", out var e) && e.ValueKind == JsonValueKind.True;
        var depth = reentrancy.TryGetProperty("maxStackDepth", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n > 0
            ? n
            : ActorTypeSettings.DefaultMaxStackDepth;
        return (enabled, depth);
    }
}
