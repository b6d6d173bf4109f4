using Personalization.Contracts.Privacy;
using Personalization.ServiceDefaults;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.Privacy;

namespace Personalization.Ingestion.Api;

/// <summary>Per-user privacy: consent for personalization, erasure, and export of everything held.</summary>
public static class PrivacyAdminApi
{
    public sealed record ConsentRequest(bool? Personalization);

    public sealed record PrivacyServices(IDocumentSession Session, ConsentDirectory Consents, UserErasure Erasure, UserExport Export, TimeProvider Clock);

    public static IEndpointRouteBuilder MapPrivacyAdminApi(this IEndpointRouteBuilder app)
    {
        var user = app.MapTenantAdminGroup("/users/{userId}").WithTags("Privacy");

        user.MapPut("/consent", PutConsentAsync).WithSummary("Record whether a user consents to personalization");
        user.MapDelete("/", EraseAsync).WithSummary("Erase a user: their events, identity links and profile; an audit record without them stays");
        user.MapGet("/export", ExportAsync).WithSummary("Export everything stored about a user");
        return app;
    }

    private static async Task<Results<Ok<Consent>, ValidationProblem>> PutConsentAsync(
        string tenantId, string userId, ConsentRequest request, [AsParameters] PrivacyServices services, CancellationToken ct)
    {
        if (request.Personalization is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["personalization"] = ["Send {\"personalization\": true|false}."] });

        var consent = new Consent(Consent.IdFor(tenantId, userId), tenantId, userId, request.Personalization.Value, services.Clock.GetUtcNow());
        services.Session.Store(consent);
        await services.Session.SaveChangesAsync(ct);
        services.Consents.Record(consent);
        return TypedResults.Ok(consent);
    }

    private static async Task<Ok<ErasureOutcome>> EraseAsync(
        string tenantId, string userId, [AsParameters] PrivacyServices services, CancellationToken ct) =>
        TypedResults.Ok(await services.Erasure.EraseAsync(tenantId, userId, ct));

    private static async Task<Ok<UserExportDocument>> ExportAsync(
        string tenantId, string userId, [AsParameters] PrivacyServices services, CancellationToken ct) =>
        TypedResults.Ok(await services.Export.ExportAsync(tenantId, userId, ct));
}
