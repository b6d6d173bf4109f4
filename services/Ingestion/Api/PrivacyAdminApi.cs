using Personalization.Contracts.Privacy;
using Personalization.ServiceDefaults;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.Privacy;
using Personalization.Ingestion.Sources;

namespace Personalization.Ingestion.Api;

/// <summary>Per-user privacy: consent for personalization, erasure, and export of everything held.</summary>
public static class PrivacyAdminApi
{
    public sealed record ConsentRequest(bool? Personalization);

    public sealed record PrivacyServices(IDocumentSession Session, ConsentDirectory Consents, UserErasure Erasure, UserExport Export, TimeProvider Clock);

    public static IEndpointRouteBuilder MapPrivacyAdminApi(this IEndpointRouteBuilder app)
    {
        var user = app.MapGroup("/admin/tenants/{tenantId}/users/{userId}")
            .RequireAdmin()
            .WithTags("Privacy");

        user.MapPut("/consent", PutConsentAsync);
        user.MapDelete("/", EraseAsync);
        user.MapGet("/export", ExportAsync);
        return app;
    }

    private static async Task<Results<Ok<Consent>, ValidationProblem>> PutConsentAsync(
        string tenantId, string userId, ConsentRequest request, [AsParameters] PrivacyServices services, CancellationToken ct)
    {
        if (!SourceNames.IsValid(tenantId) || request.Personalization is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [request.Personalization is null ? "personalization" : "tenantId"] =
                    [request.Personalization is null ? "Send {\"personalization\": true|false}." : $"Tenant ids use {SourceNames.Rule}."],
            });

        var consent = new Consent(Consent.IdFor(tenantId, userId), tenantId, userId, request.Personalization.Value, services.Clock.GetUtcNow());
        services.Session.Store(consent);
        await services.Session.SaveChangesAsync(ct);
        services.Consents.Record(consent);
        return TypedResults.Ok(consent);
    }

    private static async Task<Results<Ok<ErasureOutcome>, ValidationProblem>> EraseAsync(
        string tenantId, string userId, [AsParameters] PrivacyServices services, CancellationToken ct) =>
        SourceNames.IsValid(tenantId)
            ? TypedResults.Ok(await services.Erasure.EraseAsync(tenantId, userId, ct))
            : InvalidTenant();

    private static async Task<Results<Ok<UserExportDocument>, ValidationProblem>> ExportAsync(
        string tenantId, string userId, [AsParameters] PrivacyServices services, CancellationToken ct) =>
        SourceNames.IsValid(tenantId)
            ? TypedResults.Ok(await services.Export.ExportAsync(tenantId, userId, ct))
            : InvalidTenant();

    private static ValidationProblem InvalidTenant() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tenantId"] = [$"Tenant ids use {SourceNames.Rule}."] });
}
