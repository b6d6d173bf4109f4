using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Contracts;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Api;

/// <summary>
/// The admin endpoints templates and journeys share: list, save (each change a new version, with the author's
/// "note" and what changed), read with the history, and read one version. <c>validate</c> reads a
/// definition and returns its name, or the faults under their JSON paths.
/// </summary>
public static class DefinitionsApi
{
    public delegate Task<(string? Name, Faults Faults)> Validator(string tenantId, JsonElement definition, IServiceProvider services, CancellationToken cancellationToken);

    public static RouteGroupBuilder MapDefinitions(this IEndpointRouteBuilder app, DefinitionKind kind, string plural, string guide, Validator validate)
    {
        var noun = Noun(kind);
        var group = app.MapGroup($"/admin/tenants/{{tenantId}}/{plural}").RequireAdmin().WithTags(kind.ToString() + "s");
        group.MapGet("/", async (string tenantId, DefinitionStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(tenantId, kind, ct))).WithSummary($"List the tenant's {plural}");
        group.MapPut("/{id}", (string tenantId, string id, HttpRequest request, DefinitionStore store, CancellationToken ct) => DefinitionIds.IsValid(id)
            ? SaveAsync(request, store, tenantId, kind, id, $"/admin/tenants/{tenantId}/{plural}/{id}", guide, validate, ct)
            : Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A {noun} id is {DefinitionIds.Rule}; it was '{id}'."] }))).WithSummary($"Create or change a {noun} (a new version)")
            .AcceptsJson($"{kind}Request").ProducesSaved();
        group.MapGet("/{id}", async Task<Results<Ok<DefinitionDetails>, ProblemHttpResult>> (string tenantId, string id, DefinitionStore store, CancellationToken ct) =>
            await store.GetAsync(tenantId, kind, id, ct) is { } details ? TypedResults.Ok(details) : NotFound(noun, tenantId, id)).WithSummary($"Read a {noun} with its history");
        group.MapGet("/{id}/versions/{version:int}", async Task<Results<Ok<DefinitionVersion>, ProblemHttpResult>> (string tenantId, string id, int version, DefinitionStore store, CancellationToken ct) =>
            await store.GetVersionAsync(tenantId, kind, id, version, ct) is { } saved
                ? TypedResults.Ok(saved)
                : TypedResults.Problem(title: "Version not found", detail: $"The {noun} '{id}' of tenant '{tenantId}' has no version {version}.", statusCode: StatusCodes.Status404NotFound)).WithSummary($"Read one version of a {noun}");
        return group;
    }

    /// <summary>Declares what <see cref="SaveAsync"/> answers on success: it returns IResult (JsonBody.NotJson is one), which the document cannot read.</summary>
    public static RouteHandlerBuilder ProducesSaved(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<DefinitionDetails>(StatusCodes.Status201Created).Produces<DefinitionDetails>(StatusCodes.Status200OK);

    /// <summary>Saves the request's definition as the next version (201 for the first, 200 after), or answers why not.</summary>
    public static async Task<IResult> SaveAsync(HttpRequest request, DefinitionStore store, string tenantId, DefinitionKind kind, string id, string location,
        string guide, Validator validate, CancellationToken ct)
    {
        var noun = Noun(kind);
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var faults = new Faults();
        var (definition, note) = DefinitionRequest.Split(body, faults);
        if (faults.Any) return Invalid(noun, guide, faults);
        var (name, problems) = await validate(tenantId, definition, request.HttpContext.RequestServices, ct);
        if (name is null) return Invalid(noun, guide, problems);
        var saved = await store.SaveAsync(tenantId, kind, id, name, definition, note, ct);
        if (saved.Outcome == SaveOutcome.Archived)
            return TypedResults.Problem(title: $"The {noun} is archived", detail: $"'{id}' is archived: it can no longer change.", statusCode: StatusCodes.Status409Conflict);
        var details = await store.GetAsync(tenantId, kind, id, ct);
        return saved.Outcome == SaveOutcome.Created ? TypedResults.Created(location, details) : TypedResults.Ok(details);
    }

    /// <summary>How errors name a kind: "template", "journey", "contact policy".</summary>
    public static string Noun(DefinitionKind kind) => kind == DefinitionKind.ContactPolicy ? "contact policy" : kind.ToString().ToLowerInvariant();

    public static ProblemHttpResult NotFound(string noun, string tenantId, string id) =>
        TypedResults.Problem(title: $"{char.ToUpperInvariant(noun[0])}{noun[1..]} not found", detail: $"Tenant '{tenantId}' has no {noun} '{id}'.", statusCode: StatusCodes.Status404NotFound);

    private static ValidationProblem Invalid(string noun, string guide, Faults faults) =>
        TypedResults.ValidationProblem(faults.ToDictionary(), title: $"The {noun} is not valid",
            detail: $"Each entry names the JSON path of a fault; {guide}");
}
