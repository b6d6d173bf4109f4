using Npgsql;

namespace Personalization.Ingestion.Storage;

/// <summary>What a PostgreSQL error during a commit means for the events in it.</summary>
public static class StoreErrors
{
    /// <summary>
    /// The refusal inside <paramref name="ex"/> if the data itself can never be stored as it is: SQL state classes 22
    /// (data exception: a value the type cannot hold) and 54 (program limit exceeded: a row or index entry too
    /// large). Marten wraps the error in its own, so inner exceptions are searched.
    /// </summary>
    public static PostgresException? RefusedData(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is PostgresException { SqlState: var state } refusal && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("54", StringComparison.Ordinal)))
                return refusal;
        return null;
    }

    /// <summary>
    /// Deadlocks and serialization failures need nothing but a retry. A unique violation on Marten's stream tables
    /// means another node appended to the same stream at the same moment (Marten's quick append reads the version
    /// without locking); by the retry that node has committed.
    /// </summary>
    public static bool IsTransientConflict(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
        || (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.TableName is "mt_streams" or "mt_events");
}
