using Personalization.ServiceDefaults;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.Sources;
using Personalization.Ingestion.TrackingPlans;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Api;

/// <summary>Tracking plans per source, and the dead letters of events that broke them.</summary>
public static class TrackingPlansAdminApi
{
    public sealed record PlanRequest(Dictionary<string, JsonElement>? Events);
    public sealed record PlanView(string TenantId, string SourceId, int Version, Dictionary<string, JsonElement> Events, DateTimeOffset CreatedAt);
    /// <summary>
    /// A dead letter as listed: <c>kind</c> is <c>trackingPlan</c>, <c>invalid</c> (with the message as sent in <c>raw</c>,
    /// a Segment message or a CloudEvent as <c>format</c> says) or <c>refused</c> (by the event store).
    /// </summary>
    public sealed record DeadLetterView(Guid Id, string Kind, string SourceId, int PlanVersion, string? MessageId, string? Type, string? Name, IReadOnlyList<string> Reasons,
        DateTimeOffset? ReceivedAt, DateTimeOffset? ReplayedAt, JsonElement? Raw, string Format);
    public sealed record ReplayRequest(List<Guid>? Ids);

    public sealed record PlanServices(IDocumentSession Session, TrackingPlanRegistry Plans, DeadLetters DeadLetters, TimeProvider Clock);

    public static IEndpointRouteBuilder MapTrackingPlansAdminApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapTenantAdminGroup().WithTags("Admin");

        tenant.MapPut("/sources/{sourceId}/tracking-plan", PutPlanAsync)
            .WithSummary("Set the tracking plan a source's events are checked against (with ?dryRun=true, only check it)");
        tenant.MapGet("/sources/{sourceId}/tracking-plan", GetPlanAsync).WithSummary("Read a source's tracking plan");
        tenant.MapGet("/dead-letters", ListDeadLettersAsync).WithSummary("List dead-lettered events with their reasons");
        tenant.MapPost("/dead-letters/replay", ReplayAsync).WithSummary("Replay dead-lettered events through the pipeline again");
        return app;
    }

    private static async Task<Results<Ok<PlanView>, ValidationProblem>> PutPlanAsync(
        string tenantId, string sourceId, PlanRequest request, bool? dryRun, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SourceNames.IsValid(sourceId))
            errors["sourceId"] = [SourceNames.Refusal(sourceId)];
        if (request.Events is null)
            errors["events"] = ["Send {\"events\": {\"<event name or call type>\": <JSON Schema of its properties>}}."];
        foreach (var (name, schema) in request.Events ?? [])
        {
            if (schema.ValueKind != JsonValueKind.Object)
                errors[$"events.{name}"] = ["A schema must be a JSON object."];
            else
                try { await NJsonSchema.JsonSchema.FromJsonAsync(schema.GetRawText(), ct); }
                catch (Exception ex) when (ex is JsonException or Newtonsoft.Json.JsonException or InvalidOperationException)
                {
                    errors[$"events.{name}"] = [$"Not a usable JSON Schema: {ex.Message}"];
                }
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The tracking plan was rejected; the current plan is unchanged.");

        var current = await services.Session.LoadAsync<TrackingPlan>(TrackingPlan.CurrentId(tenantId, sourceId), ct);
        var plan = new TrackingPlan(TrackingPlan.CurrentId(tenantId, sourceId), tenantId, sourceId, (current?.Version ?? 0) + 1,
            request.Events!.ToDictionary(e => e.Key, e => e.Value.GetRawText()), services.Clock.GetUtcNow());
        if (dryRun == true) return TypedResults.Ok(View(plan));
        services.Session.Store(plan);
        services.Session.Store(plan.AsHistory());
        await services.Session.SaveChangesAsync(ct);
        services.Plans.Forget(tenantId, sourceId);
        return TypedResults.Ok(View(plan));
    }

    private static async Task<Results<Ok<PlanView>, ProblemHttpResult>> GetPlanAsync(
        string tenantId, string sourceId, [AsParameters] PlanServices services, CancellationToken ct) =>
        await services.Session.LoadAsync<TrackingPlan>(TrackingPlan.CurrentId(tenantId, sourceId), ct) is { } plan
            ? TypedResults.Ok(View(plan))
            : TypedResults.Problem(title: "No tracking plan", detail: $"Source '{tenantId}/{sourceId}' has no tracking plan; every event passes.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Ok<IReadOnlyList<DeadLetterView>>> ListDeadLettersAsync(
        string tenantId, string? sourceId, bool? includeReplayed, int? limit, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var query = services.Session.Query<DeadLetter>().Where(d => d.TenantId == tenantId);
        if (sourceId is not null) query = query.Where(d => d.SourceId == sourceId);
        if (includeReplayed != true) query = query.Where(d => d.ReplayedAt == null);
        var letters = await query.OrderBy(d => d.ReceivedAt).Take(Math.Clamp(limit ?? 100, 1, 1_000)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<DeadLetterView>>(letters.Select(View).ToList());
    }

    private static async Task<Ok<ReplayOutcome>> ReplayAsync(
        string tenantId, ReplayRequest? request, [AsParameters] PlanServices services, CancellationToken ct) =>
        TypedResults.Ok(await services.DeadLetters.ReplayAsync(tenantId, request?.Ids, ct));

    private static DeadLetterView View(DeadLetter d)
    {
        var raw = StoredMessages.Summarize(d.Raw, d.Format);
        return new DeadLetterView(
            d.Id, d.Raw is not null ? "invalid" : d.PlanVersion == DeadLetter.NoPlan ? "refused" : "trackingPlan", d.SourceId, d.PlanVersion,
            d.Event?.MessageId ?? raw.MessageId, d.Event?.Type ?? raw.Type, d.Event?.Name ?? raw.Name, d.Reasons, d.ReceivedAt ?? d.Event?.ReceivedAt,
            d.ReplayedAt, d.Raw is null ? null : JsonDocument.Parse(d.Raw).RootElement.Clone(), d.Format == MessageFormat.CloudEvent ? "cloudevent" : "segment");
    }

    private static PlanView View(TrackingPlan plan) => new(
        plan.TenantId, plan.SourceId, plan.Version,
        plan.Schemas.ToDictionary(s => s.Key, s => JsonDocument.Parse(s.Value).RootElement.Clone()), plan.CreatedAt);
}
