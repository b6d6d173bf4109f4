using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Occurrences;

namespace Personalization.Triggers.Api;

/// <summary>
/// A tenant's journeys through the admin API: versioned definitions, and their life (publish a version, pause,
/// archive). New entries run the published version; a running occurrence finishes on the version it started with.
/// </summary>
public static class JourneysAdminApi
{
    public static IEndpointRouteBuilder MapJourneysAdminApi(this IEndpointRouteBuilder app)
    {
        var journeys = app.MapDefinitions(DefinitionKind.Journey, "journeys", "the grammar is in the Triggers README.", async (tenantId, definition, services, ct) =>
        {
            var (journey, faults) = JourneyParser.Parse(definition);
            if (journey is null) return (null, faults);
            await services.GetRequiredService<JourneyValidation>().CheckAsync(tenantId, journey, faults, ct);
            return (faults.Any ? null : journey.Name, faults);
        });
        journeys.MapPost("/{id}/publish", (string tenantId, string id, int? version, DefinitionStore store, JourneyCatalog catalog, CancellationToken ct) =>
            ChangeAsync(tenantId, id, DefinitionStatus.Live, version, store, catalog, ct)).WithSummary("Publish a journey version: new entries run it, running ones finish on theirs");
        journeys.MapPost("/{id}/pause", (string tenantId, string id, DefinitionStore store, JourneyCatalog catalog, CancellationToken ct) =>
            ChangeAsync(tenantId, id, DefinitionStatus.Paused, null, store, catalog, ct)).WithSummary("Pause a journey: it takes no new entries");
        journeys.MapGet("/{id}/stats", async Task<Results<Ok<JourneyStats>, ProblemHttpResult>> (string tenantId, string id, DefinitionStore store, JourneyStatsReader stats,
            CancellationToken ct) =>
            await store.GetAsync(tenantId, DefinitionKind.Journey, id, ct) is null
                ? DefinitionsApi.NotFound("journey", tenantId, id)
                : TypedResults.Ok(await stats.ReadAsync(tenantId, id, ct))).WithSummary("A journey's numbers per step: waiting, sent, withheld, opened, clicked");
        journeys.MapPost("/{id}/archive", (string tenantId, string id, DefinitionStore store, JourneyCatalog catalog, CancellationToken ct) =>
            ChangeAsync(tenantId, id, DefinitionStatus.Archived, null, store, catalog, ct)).WithSummary("Archive a journey");
        return app;
    }

    private static async Task<Results<Ok<DefinitionDetails>, ProblemHttpResult>> ChangeAsync(string tenantId, string id, DefinitionStatus to, int? version,
        DefinitionStore store, JourneyCatalog catalog, CancellationToken ct)
    {
        var result = await store.SetStatusAsync(tenantId, DefinitionKind.Journey, id, to, version, ct);
        if (result.Outcome == StatusOutcome.Done) catalog.Forget(tenantId);
        return result.Outcome switch
        {
            StatusOutcome.NotFound => DefinitionsApi.NotFound("journey", tenantId, id),
            StatusOutcome.Refused => TypedResults.Problem(title: "Not allowed in the journey's state", detail: result.Reason, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Ok(await store.GetAsync(tenantId, DefinitionKind.Journey, id, ct)),
        };
    }
}
