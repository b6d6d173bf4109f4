using Personalization.ServiceDefaults;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.Sources;

namespace Personalization.Ingestion.Api;

/// <summary>Sources and their write keys, per tenant: create, list, change (name, strict batches), rotate (add a key, then revoke the old) and revoke.</summary>
public static class SourcesAdminApi
{
    public sealed record CreateSource(string? SourceId, string? Name, bool? StrictBatches);
    public sealed record UpdateSource(string? Name, bool? StrictBatches);
    public sealed record SourceView(string TenantId, string SourceId, string Name, DateTimeOffset CreatedAt, bool StrictBatches);
    public sealed record KeyView(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
    public sealed record NewKey(string KeyId, string WriteKey, DateTimeOffset CreatedAt);
    public sealed record SourceCreated(SourceView Source, NewKey Key);

    public sealed record AdminServices(IDocumentSession Session, WriteKeyDirectory Keys, SourceSettings Settings, TimeProvider Clock);

    public static IEndpointRouteBuilder MapSourcesAdminApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapTenantAdminGroup().WithTags("Admin");

        tenant.MapPost("/sources", CreateSourceAsync).WithSummary("Create a source and its first write key");
        tenant.MapGet("/sources", ListSourcesAsync).WithSummary("List the tenant's sources");
        tenant.MapPatch("/sources/{sourceId}", UpdateSourceAsync).WithSummary("Change a source's settings");
        tenant.MapPost("/sources/{sourceId}/keys", CreateKeyAsync).WithSummary("Issue another write key for a source");
        tenant.MapGet("/sources/{sourceId}/keys", ListKeysAsync).WithSummary("List a source's write keys (without their secrets)");
        tenant.MapDelete("/sources/{sourceId}/keys/{keyId}", RevokeKeyAsync).WithSummary("Revoke a write key");
        return app;
    }

    private static async Task<Results<Created<SourceCreated>, ValidationProblem, ProblemHttpResult>> CreateSourceAsync(
        string tenantId, CreateSource request, [AsParameters] AdminServices services, CancellationToken ct)
    {
        if (InvalidSource(request.SourceId) is { } invalid) return invalid;
        var sourceId = request.SourceId!;
        if (await services.Session.LoadAsync<Source>(Source.IdFor(tenantId, sourceId), ct) is not null)
            return TypedResults.Problem(title: "Source exists", detail: $"Tenant '{tenantId}' already has a source '{sourceId}'.", statusCode: StatusCodes.Status409Conflict);

        var now = services.Clock.GetUtcNow();
        var source = new Source(Source.IdFor(tenantId, sourceId), tenantId, sourceId, request.Name ?? sourceId, now, request.StrictBatches ?? false);
        var (secret, key) = WriteKey.Create(tenantId, sourceId, now);
        services.Session.Insert(source);
        services.Session.Insert(key);
        await services.Session.SaveChangesAsync(ct);
        return TypedResults.Created($"/admin/tenants/{tenantId}/sources/{sourceId}",
            new SourceCreated(View(source), new NewKey(key.KeyId, secret, now)));
    }

    /// <summary><c>{"name": ..., "strictBatches": true}</c>: each field given replaces the source's.</summary>
    private static async Task<Results<Ok<SourceView>, ValidationProblem, ProblemHttpResult>> UpdateSourceAsync(
        string tenantId, string sourceId, UpdateSource request, [AsParameters] AdminServices services, CancellationToken ct)
    {
        if (InvalidSource(sourceId) is { } invalid) return invalid;
        if (await services.Session.LoadAsync<Source>(Source.IdFor(tenantId, sourceId), ct) is not { } source)
            return SourceNotFound(tenantId, sourceId);
        source = source with { Name = request.Name ?? source.Name, StrictBatches = request.StrictBatches ?? source.StrictBatches };
        services.Session.Store(source);
        await services.Session.SaveChangesAsync(ct);
        services.Settings.Forget(tenantId, sourceId);
        return TypedResults.Ok(View(source));
    }

    private static async Task<Results<Ok<IReadOnlyList<SourceView>>, ValidationProblem>> ListSourcesAsync(
        string tenantId, [AsParameters] AdminServices services, CancellationToken ct)
    {
        var sources = await services.Session.Query<Source>().Where(s => s.TenantId == tenantId).OrderBy(s => s.SourceId).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<SourceView>>(sources.Select(View).ToList());
    }

    private static async Task<Results<Created<NewKey>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(
        string tenantId, string sourceId, [AsParameters] AdminServices services, CancellationToken ct)
    {
        if (InvalidSource(sourceId) is { } invalid) return invalid;
        if (await services.Session.LoadAsync<Source>(Source.IdFor(tenantId, sourceId), ct) is null)
            return SourceNotFound(tenantId, sourceId);

        var (secret, key) = WriteKey.Create(tenantId, sourceId, services.Clock.GetUtcNow());
        services.Session.Insert(key);
        await services.Session.SaveChangesAsync(ct);
        return TypedResults.Created($"/admin/tenants/{tenantId}/sources/{sourceId}/keys/{key.KeyId}", new NewKey(key.KeyId, secret, key.CreatedAt));
    }

    private static async Task<Results<Ok<IReadOnlyList<KeyView>>, ValidationProblem, ProblemHttpResult>> ListKeysAsync(
        string tenantId, string sourceId, [AsParameters] AdminServices services, CancellationToken ct)
    {
        if (InvalidSource(sourceId) is { } invalid) return invalid;
        if (await services.Session.LoadAsync<Source>(Source.IdFor(tenantId, sourceId), ct) is null)
            return SourceNotFound(tenantId, sourceId);

        var keys = await services.Session.Query<WriteKey>()
            .Where(k => k.TenantId == tenantId && k.SourceId == sourceId)
            .OrderBy(k => k.CreatedAt)
            .ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<KeyView>>(keys.Select(k => new KeyView(k.KeyId, k.CreatedAt, k.RevokedAt)).ToList());
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeKeyAsync(
        string tenantId, string sourceId, string keyId, [AsParameters] AdminServices services, CancellationToken ct)
    {
        if (InvalidSource(sourceId) is { } invalid) return invalid;
        var key = await services.Session.Query<WriteKey>()
            .FirstOrDefaultAsync(k => k.TenantId == tenantId && k.SourceId == sourceId && k.KeyId == keyId, ct);
        if (key is null)
            return TypedResults.Problem(title: "Key not found", detail: $"Source '{tenantId}/{sourceId}' has no key '{keyId}'.", statusCode: StatusCodes.Status404NotFound);

        if (key.RevokedAt is null)
        {
            services.Session.Store(key with { RevokedAt = services.Clock.GetUtcNow() });
            await services.Session.SaveChangesAsync(ct);
            services.Keys.Forget(key.Id);
        }
        return TypedResults.NoContent();
    }

    private static SourceView View(Source source) => new(source.TenantId, source.SourceId, source.Name, source.CreatedAt, source.StrictBatches);

    private static ValidationProblem? InvalidSource(string? sourceId) =>
        SourceNames.IsValid(sourceId) ? null : TenantAdminRoutes.InvalidId("sourceId", sourceId);

    private static ProblemHttpResult SourceNotFound(string tenantId, string sourceId) =>
        TypedResults.Problem(title: "Source not found", detail: $"Tenant '{tenantId}' has no source '{sourceId}'.", statusCode: StatusCodes.Status404NotFound);
}
