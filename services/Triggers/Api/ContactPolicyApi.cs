using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Policy;

namespace Personalization.Triggers.Api;

/// <summary>A tenant's contact policy (caps, quiet hours, subscription groups) through the admin API: one per tenant, versioned like the other definitions.</summary>
public static class ContactPolicyApi
{
    private const string Guide = "the policy's fields are in the Triggers README.";

    public static IEndpointRouteBuilder MapContactPolicyApi(this IEndpointRouteBuilder app)
    {
        var policy = app.MapGroup("/admin/tenants/{tenantId}/contact-policy").RequireAdmin().WithTags("Contact policy");
        policy.MapGet("/", async Task<Results<Ok<DefinitionDetails>, ProblemHttpResult>> (string tenantId, DefinitionStore store, CancellationToken ct) =>
            await store.GetAsync(tenantId, DefinitionKind.ContactPolicy, ContactPolicy.DefinitionId, ct) is { } details
                ? TypedResults.Ok(details)
                : TypedResults.Problem(title: "No contact policy", detail: $"Tenant '{tenantId}' has set none: messages go out in UTC with no caps, quiet hours or groups.",
                    statusCode: StatusCodes.Status404NotFound)).WithSummary("Read the tenant's contact policy (caps, quiet hours)");
        policy.MapPut("/", async (string tenantId, HttpRequest request, DefinitionStore store, ContactPolicies policies, CancellationToken ct) =>
        {
            var saved = await DefinitionsApi.SaveAsync(request, store, tenantId, DefinitionKind.ContactPolicy, ContactPolicy.DefinitionId,
                $"/admin/tenants/{tenantId}/contact-policy", Guide,
                (_, definition, _, _) =>
                {
                    var (parsed, faults) = ContactPolicyParser.Parse(definition);
                    return Task.FromResult(((string?)(parsed is null ? null : "Contact policy"), faults));
                }, ct);
            // Sends on this replica apply the change at once; other replicas within the cache's time.
            policies.Forget(tenantId);
            return saved;
        }).WithSummary("Set the tenant's contact policy (a new version)").AcceptsJson($"{DefinitionKind.ContactPolicy}Request").ProducesSaved();
        return app;
    }
}
