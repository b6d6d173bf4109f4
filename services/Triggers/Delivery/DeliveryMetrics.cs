using System.Diagnostics.Metrics;
using Personalization.Triggers.Occurrences;

namespace Personalization.Triggers.Delivery;

/// <summary>
/// Each delivery attempt's outcome, by channel (exported through OpenTelemetry): <c>sent</c>; <c>skipped</c> (the
/// contact policy, consent, a suppression or a permanent refusal withheld it); <c>deferred</c> (quiet hours, a cap);
/// <c>retried</c> (a passing failure); <c>bounced</c>.
/// </summary>
public sealed class DeliveryMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _attempts = meters.Create(JourneyMetrics.MeterName)
        .CreateCounter<long>("triggers.sends", "{attempt}", "Delivery attempts by channel and outcome.");

    public void Attempted(OutboxMessage message, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("channel", message.Channel.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("outcome", outcome));
}
