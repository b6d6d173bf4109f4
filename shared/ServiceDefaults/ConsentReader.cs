using Marten;
using Npgsql;
using Personalization.Contracts.Privacy;

namespace Personalization.ServiceDefaults;

/// <summary>Whether a person withdrew consent for personalization through ingestion's privacy API, read from where ingestion keeps it.</summary>
public sealed class ConsentReader(IEventLogStore store)
{
    /// <returns>False only when the person withdrew consent; true when they gave it or never said.</returns>
    public async Task<bool> ConsentedAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        try
        {
            return await session.LoadAsync<Consent>(Consent.IdFor(tenantId, userId), cancellationToken) is not { Personalization: false };
        }
        // Ingestion creates the table with its first start; before that nobody has withdrawn.
        catch (Exception ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } || ex is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            return true;
        }
    }
}
