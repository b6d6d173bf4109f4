using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Ingestion.Sources;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Api;

/// <summary>The admin routes of one tenant, <c>/admin/tenants/{tenantId}/…</c>: admin only, the tenant id checked once for all.</summary>
public static class TenantAdminRoutes
{
    public static RouteGroupBuilder MapTenantAdminGroup(this IEndpointRouteBuilder app, string path = "") =>
        app.MapGroup("/admin/tenants/{tenantId}" + path).RequireAdmin().AddEndpointFilter(RefuseInvalidTenantAsync);

    /// <summary>The one answer to an id in a path that breaks <see cref="SourceNames.Rule"/>.</summary>
    public static ValidationProblem InvalidId(string name, string? value) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [name] = [SourceNames.Refusal(value)] }, title: "Invalid id");

    private static ValueTask<object?> RefuseInvalidTenantAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var tenantId = context.HttpContext.GetRouteValue("tenantId") as string;
        return SourceNames.IsValid(tenantId) ? next(context) : ValueTask.FromResult<object?>(InvalidId("tenantId", tenantId));
    }
}
