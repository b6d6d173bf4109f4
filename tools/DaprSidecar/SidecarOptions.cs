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

    /// <summary>
    /// Schema of the emulator's tables. Emulators share a schema only with placement on (<see cref="Placement"/>), which
    /// decides where each actor is active and which emulator fires each reminder.
    /// </summary>
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

    /// <summary>Several emulators, one per app replica, sharing actor types as daprd does with the placement service.</summary>
    public PlacementOptions Placement { get; set; } = new();
}

/// <summary>Settings under <c>Sidecar:Placement</c>. Off unless <see cref="Address"/> is set.</summary>
public sealed class PlacementOptions
{
    /// <summary>
    /// This emulator's URL as the other emulators reach it (<c>http://10.0.0.5:3500</c>); they forward calls for actors
    /// placed here to it. Empty: placement is off and this emulator is the only host of its types.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>How often this host renews its lease and reads the others' (daprd: the placement heartbeat, 1 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A host whose lease is older than this is gone: its actors are placed on the others. A host that could not renew
    /// its own lease for this long deactivates its actors before it serves them again.
    /// </summary>
    public TimeSpan HostTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrEmpty(Address);
}

/// <summary>Checks what data annotations cannot: that every URL is absolute http(s), and the placement timings.</summary>
public sealed class SidecarOptionsValidator : IValidateOptions<SidecarOptions>
{
    public ValidateOptionsResult Validate(string? name, SidecarOptions options)
    {
        var failures = options.Apps
            .Select((app, i) => (app, i))
            .Where(x => !Uri.TryCreate(x.app, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            .Select(x => $"Sidecar:Apps:{x.i} = '{x.app}' is not an absolute http(s) URL.")
            .ToList();
        var placement = options.Placement;
        if (placement.Enabled && (!Uri.TryCreate(placement.Address, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https")))
            failures.Add($"Sidecar:Placement:Address = '{placement.Address}' is not an absolute http(s) URL.");
        if (placement.HeartbeatInterval < TimeSpan.FromMilliseconds(10))
            failures.Add($"Sidecar:Placement:HeartbeatInterval ({placement.HeartbeatInterval}) must be at least 10 ms.");
        if (placement.HostTimeout < placement.HeartbeatInterval * 3)
            failures.Add($"Sidecar:Placement:HostTimeout ({placement.HostTimeout}) must be at least three heartbeats ({placement.HeartbeatInterval * 3}), or a slow heartbeat moves every actor.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
