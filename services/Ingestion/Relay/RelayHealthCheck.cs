using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Personalization.Ingestion.Relay;

/// <summary>
/// Unhealthy while events wait and the relay's checkpoint has stood still for longer than
/// <see cref="RelayOptions.StallAfter"/>, or when the lag could not be read for that long.
/// </summary>
public sealed class RelayHealthCheck(RelayLag lag, RelayOutage outage, IOptions<RelayOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stallAfter = options.Value.StallAfter;
        var sample = lag.Last;
        var because = outage.Reason is { } reason ? $"; {reason}" : "";

        if (sample is null || now - sample.At > stallAfter)
            return Result(now - lag.KnownSince > stallAfter
                ? HealthCheckResult.Unhealthy($"The relay's lag could not be read from the event log for {Seconds(now - lag.KnownSince)}{because}.")
                : HealthCheckResult.Healthy("Reading the relay's lag."));

        var data = new Dictionary<string, object> { ["lag"] = sample.Lag, ["stored"] = sample.Stored, ["published"] = sample.Published };
        var still = now - sample.StillSince;
        return Result(sample.Lag > 0 && still > stallAfter
            ? HealthCheckResult.Unhealthy($"{sample.Lag} events wait and the relay's checkpoint ({sample.Published}) has not moved for {Seconds(still)}{because}.", data: data)
            : HealthCheckResult.Healthy($"{sample.Lag} events wait.", data));
    }

    private static Task<HealthCheckResult> Result(HealthCheckResult result) => Task.FromResult(result);

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0} s";
}
