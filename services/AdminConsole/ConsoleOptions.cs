namespace Personalization.AdminConsole;

/// <summary>The console's settings, under <c>Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The services whose admin APIs the console calls, by the names its pages use.</summary>
    public static readonly string[] ServiceNames = ["ingestion", "segmentation", "recommendation", "triggers"];

    /// <summary>Each service's base address, e.g. <c>Console__Services__Ingestion=http://ingestion:8080</c>.</summary>
    public Dictionary<string, Uri> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant the console opens on; a person can switch to any other.</summary>
    public string DefaultTenant { get; set; } = "demo";

    /// <summary>How long a sign-in lasts without use.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    public OidcOptions Oidc { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        foreach (var name in ServiceNames)
            if (!Services.TryGetValue(name, out var address) || !address.IsAbsoluteUri)
                yield return $"Console:Services:{name} must be the service's absolute base address.";
        if (SessionIdleTimeout <= TimeSpan.Zero)
            yield return "Console:SessionIdleTimeout must be positive.";
        if (Oidc.Enabled && string.IsNullOrEmpty(Oidc.ClientId))
            yield return "Console:Oidc:ClientId is needed with Console:Oidc:Authority.";
    }
}

/// <summary>
/// Sign-in through an OpenID Connect provider instead of the admin token; off while <see cref="Authority"/> is unset.
/// </summary>
public sealed class OidcOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>A claim value the person must hold, e.g. a group; unset, every person the provider signs in may use the console.</summary>
    public string? RequiredRole { get; set; }

    /// <summary>The claim that carries <see cref="RequiredRole"/>.</summary>
    public string RoleClaim { get; set; } = "groups";

    public bool Enabled => !string.IsNullOrEmpty(Authority);
}
