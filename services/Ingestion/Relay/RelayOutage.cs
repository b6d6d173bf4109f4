namespace Personalization.Ingestion.Relay;

/// <summary>
/// Whether the relay can publish, told to the log once per outage (its start, a reminder a minute while it lasts, its
/// end), never once per event or per try.
/// </summary>
public sealed class RelayOutage(ILogger<RelayOutage> logger, TimeProvider time)
{
    private static readonly TimeSpan ReminderEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private DateTimeOffset _remindedAt;
    private int _failedTries;

    /// <summary>The last failure while the outage lasts, for readiness to show; null while publishing works.</summary>
    public string? Reason { get; private set; }

    public bool Lasts => Reason is not null;

    public void Failed(long fromSequence, int attempt, Exception error) =>
        Record(fromSequence, $"publishing the page after sequence {fromSequence} failed (try {attempt}): {error.GetBaseException().Message}", error, tried: true);

    /// <summary>
    /// A page the broker has not confirmed for <paramref name="waited"/>: an outage too, though no publish has failed
    /// (the client may hold a publish until it reconnects, so a short outage can pass without one failing).
    /// </summary>
    public void Unconfirmed(long fromSequence, TimeSpan waited) =>
        Record(fromSequence, $"RabbitMQ has not confirmed the page after sequence {fromSequence} for {waited.TotalSeconds:0.#} s", error: null, tried: false);

    private void Record(long fromSequence, string reason, Exception? error, bool tried)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (tried) _failedTries++;
            Reason = reason;
            if (_since is null)
            {
                (_since, _remindedAt) = (now, now);
                logger.LogWarning(error, "Relay cannot publish to RabbitMQ ({Reason}); the page after sequence {Sequence} will be published until the broker takes it",
                    reason, fromSequence);
            }
            else if (now - _remindedAt >= ReminderEvery)
            {
                _remindedAt = now;
                logger.LogWarning("Relay still cannot publish to RabbitMQ after {Seconds:0} s and {Tries} tries: {Reason}",
                    (now - _since.Value).TotalSeconds, _failedTries, Reason);
            }
        }
    }

    public void Ended()
    {
        lock (_gate)
        {
            if (_since is null) return;
            logger.LogInformation("Relay publishes to RabbitMQ again, after {Seconds:0.#} s and {Tries} failed tries",
                (time.GetUtcNow() - _since.Value).TotalSeconds, _failedTries);
            (_since, _failedTries, Reason) = (null, 0, null);
        }
    }
}
