using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Personalization.ServiceDefaults;

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Bearer token of the admin API. Unset: the admin API refuses every call.</summary>
    public string? Token { get; set; }
}

/// <summary>The admin API's own credential, <c>Authorization: Bearer &lt;Admin:Token&gt;</c>; never a write key.</summary>
public static class AdminAuthentication
{
    public const string SchemeName = "Admin";
    public const string Role = "admin";

    public static AuthenticationBuilder AddAdminToken(this AuthenticationBuilder authentication) =>
        authentication.AddScheme<BearerTokenOptions, BearerTokenAuthentication>(SchemeName, options =>
        {
            options.Title = "Admin credential required";
            options.Disabled = services => string.IsNullOrEmpty(Token(services)) ? "The admin API is disabled: set Admin__Token to enable it." : null;
            options.Resolve = (services, token) =>
                CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(Token(services)!))
                    ? [new Claim(ClaimTypes.Role, Role)]
                    : null;
        });

    /// <summary>Puts an endpoint group behind the admin credential.</summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.AddAuthenticationSchemes(SchemeName).RequireRole(Role));

    private static string? Token(IServiceProvider services) => services.GetRequiredService<IOptions<AdminOptions>>().Value.Token;
}
