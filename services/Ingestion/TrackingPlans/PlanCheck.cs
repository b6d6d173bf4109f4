using System.Text.Json;
using NJsonSchema;
using Personalization.Contracts;
using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.TrackingPlans;

/// <summary>A tracking plan with its schemas parsed, ready to check events. Events the plan does not name pass.</summary>
public sealed class PlanCheck(TrackingPlan plan, IReadOnlyDictionary<string, JsonSchema> schemas)
{
    public TrackingPlan Plan { get; } = plan;

    public static async Task<PlanCheck> CompileAsync(TrackingPlan plan)
    {
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var (name, schema) in plan.Schemas)
            schemas[name] = await JsonSchema.FromJsonAsync(schema);
        return new PlanCheck(plan, schemas);
    }

    /// <summary>The key a plan uses for an event: its name for track calls, its type for the others.</summary>
    public static string KeyOf(EventAccepted e) => e.Type == EventTypes.Track ? e.Name ?? "" : e.Type;

    /// <summary>Why the event breaks the plan; empty when it does not.</summary>
    public IReadOnlyList<string> Check(EventAccepted e)
    {
        if (!schemas.TryGetValue(KeyOf(e), out var schema))
            return [];
        var field = e.Type is EventTypes.Identify or EventTypes.Group ? "traits" : "properties";
        var value = e.Payload.TryGetProperty(field, out var found) && found.ValueKind != JsonValueKind.Null ? found.GetRawText() : "{}";
        return schema.Validate(value)
            .Select(error => $"{field}{(string.IsNullOrEmpty(error.Path) || error.Path == "#" ? "" : error.Path.TrimStart('#'))}: {error.Kind}")
            .ToList();
    }
}
