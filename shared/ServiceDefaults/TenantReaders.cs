using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Personalization.ServiceDefaults;

/// <summary>A service's read tokens: access token to tenant, so a token reads that tenant's data and no other's.</summary>
public sealed class TenantReaderOptions
{
    public Dictionary<string, string> AccessTokens { get; set; } = [];
}

/// <summary>
/// Who may call a service's read API: <c>Authorization: Bearer &lt;access token&gt;</c>, which names the tenant.
/// Each service has its own tokens, under <c>{section}:AccessTokens</c> (profiles: Segmentation, recommendations:
/// Recommendation).
/// </summary>
public static class TenantReaders
{
    public const string SchemeName = "AccessToken";
    public const string TenantClaim = "tenant";

    /// <remarks>
    /// No default scheme: each endpoint group names its own, so a read token is never tried, and logged as failed,
    /// against the admin scheme or the other way round.
    /// </remarks>
    public static IHostApplicationBuilder AddTenantReaders(this IHostApplicationBuilder builder, string section)
    {
        builder.Services.AddOptions<TenantReaderOptions>().BindConfiguration(section);
        builder.Services.AddAuthentication().AddScheme<BearerTokenOptions, BearerTokenAuthentication>(SchemeName, options =>
        {
            options.Title = "Access token required";
            options.Disabled = services => Tokens(services).Count == 0
                ? $"No access tokens are configured: set {section}__AccessTokens__<token>=<tenant>."
                : null;
            options.Resolve = (services, token) =>
                Tokens(services).TryGetValue(token, out var tenant) ? [new Claim(TenantClaim, tenant)] : null;
        });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Puts an endpoint group behind the read tokens.</summary>
    public static TBuilder RequireTenantReader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.AddAuthenticationSchemes(SchemeName).RequireClaim(TenantClaim));

    /// <summary>The tenant of an authorized caller.</summary>
    public static string TenantOf(ClaimsPrincipal caller) =>
        caller.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("the caller was not authorized as a tenant's reader");

    private static Dictionary<string, string> Tokens(IServiceProvider services) =>
        services.GetRequiredService<IOptions<TenantReaderOptions>>().Value.AccessTokens;
}
