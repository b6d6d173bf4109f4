using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Api;

public sealed class ProfileReaderOptions
{
    public const string Section = "Segmentation";

    /// <summary>Access token to tenant: a token reads that tenant's profiles and no other's.</summary>
    public Dictionary<string, string> AccessTokens { get; set; } = [];
}

/// <summary>Who may read profiles: <c>Authorization: Bearer &lt;access token&gt;</c>, which names the tenant.</summary>
public static class ProfileReaders
{
    public const string SchemeName = "AccessToken";
    public const string TenantClaim = "tenant";

    public static IHostApplicationBuilder AddProfileReaders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProfileReaderOptions>().BindConfiguration(ProfileReaderOptions.Section);
        builder.Services.AddAuthentication(SchemeName).AddScheme<BearerTokenOptions, BearerTokenAuthentication>(SchemeName, options =>
        {
            options.Title = "Access token required";
            options.Disabled = services => Tokens(services).Count == 0
                ? "No access tokens are configured: set Segmentation__AccessTokens__<token>=<tenant>."
                : null;
            options.Resolve = (services, token) =>
                Tokens(services).TryGetValue(token, out var tenant) ? [new Claim(TenantClaim, tenant)] : null;
        });
        builder.Services.AddAuthorization();
        return builder;
    }

    private static Dictionary<string, string> Tokens(IServiceProvider services) =>
        services.GetRequiredService<IOptions<ProfileReaderOptions>>().Value.AccessTokens;
}
