using Npgsql;

namespace Personalization.Ingestion.Storage;

/// <summary>Counts for one request once its events are durable.</summary>
public sealed record AppendOutcome(int Stored, int Duplicates)
{
    public static readonly AppendOutcome None = new(0, 0);
}

/// <summary>Thrown when so many requests wait for a commit that a new one should be retried later.</summary>
public sealed class IngestionOverloadedException() : Exception("Too many requests are waiting to be stored.");

/// <summary>
/// Thrown when PostgreSQL refuses a request's own data (a data exception or a size limit), committed on its own:
/// resending it cannot help, so it is the publisher's error, not an outage.
/// </summary>
public sealed class EventsRefusedException(PostgresException refusal)
    : Exception($"The event store refused this request's data: {refusal.MessageText}", refusal);
