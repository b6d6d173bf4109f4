using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Personalization.DaprSidecar;

/// <summary>Settings under <c>Sidecar</c>, plus <c>ConnectionStrings:Postgres</c> and the standard Dapr token variables.</summary>
public sealed class SidecarOptions
{
    public const string Section = "Sidecar";

    /// <summary>Base URLs of the apps that host actors (<c>Sidecar:Apps:0=http://127.0.0.1:5200</c>).</summary>
    [MinLength(1, ErrorMessage = "Configure at least one actor app under Sidecar:Apps (e.g. Sidecar__Apps__0=http://127.0.0.1:5200).")]
    public List<string> Apps { get; set; } = [];

    /// <summary>Filled from <c>ConnectionStrings:Postgres</c>; actor state and reminders live there.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Connection string 'Postgres' is not configured. Set ConnectionStrings__Postgres (tools/infra.sh env prints the local value).")]
    public string? PostgresConnectionString { get; set; }

    /// <summary>Schema of the emulator's tables; one emulator per schema, because reminders are scheduled in memory.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Sidecar:Schema must be a lower-case SQL identifier.")]
    public string Schema { get; set; } = "dapr_sidecar";

    /// <summary>Token callers must send as <c>dapr-api-token</c>; falls back to <c>DAPR_API_TOKEN</c>. Empty: no check.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Token sent to the apps as <c>dapr-api-token</c>; falls back to <c>APP_API_TOKEN</c>.</summary>
    public string? AppApiToken { get; set; }

    /// <summary>How often each app's <c>/dapr/config</c> is read again, so apps may start after the emulator or change.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often idle actors are looked for (daprd's actorScanInterval, 30 s there).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan IdleScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait for an actor's turn before the call fails with ERR_ACTOR_INVOKE_METHOD. daprd has no such limit
    /// (a caller waits until its own timeout); here a non-reentrant call chain that comes back to the same actor
    /// gets a clear error instead of hanging.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest sleep of the reminder scheduler between looks at the table (it also wakes on every change).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before a reminder is tried again when its app cannot be reached or is not discovered yet.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReminderRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Checks what data annotations cannot: that every app is an absolute http URL.</summary>
public sealed class SidecarOptionsValidator : IValidateOptions<SidecarOptions>
{
    public ValidateOptionsResult Validate(string? name, SidecarOptions options)
    {
        var failures = options.Apps
            .Select((app, i) => (app, i))
            .Where(x => !Uri.TryCreate(x.app, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            .Select(x => $"Sidecar:Apps:{x.i} = '{x.app}' is not an absolute http(s) URL.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
