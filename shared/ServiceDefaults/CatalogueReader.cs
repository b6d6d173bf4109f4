using Marten;
using Npgsql;
using Personalization.Contracts.Catalog;

namespace Personalization.ServiceDefaults;

/// <summary>A tenant's catalog items as ingestion stores them, read-only: all of them, or those changed since a time.</summary>
public sealed class CatalogueReader(IEventLogStore store)
{
    /// <summary>Items (tombstones of deleted ones included) whose UpdatedAt is at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<CatalogItem>> ReadAsync(string tenantId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        try
        {
            var query = session.Query<CatalogItem>().Where(item => item.TenantId == tenantId);
            if (since is { } from) query = query.Where(item => item.UpdatedAt >= from);
            return await query.ToListAsync(cancellationToken);
        }
        // Ingestion creates the table with its first start; before that there is no catalog to read.
        catch (Exception ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } || ex is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            return [];
        }
    }
}
