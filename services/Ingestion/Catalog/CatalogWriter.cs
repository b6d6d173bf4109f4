using Personalization.Contracts.Catalog;
using Marten;
using Npgsql;

namespace Personalization.Ingestion.Catalog;

/// <summary>What an upsert did: counts, and every item as it now stands.</summary>
public sealed record UpsertResult(int Created, int Updated, int Unchanged, IReadOnlyList<CatalogItem> Items);

/// <summary>
/// Writes catalog items. An upsert is one transaction however large, written in batches so each round trip and
/// each session stays small; an item whose content is unchanged is not rewritten, so re-running an import is cheap
/// and leaves <c>UpdatedAt</c> meaning "last real change".
/// </summary>
public sealed class CatalogWriter(IDocumentStore store, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int BatchSize = 500;

    public async Task<UpsertResult> UpsertAsync(string tenantId, IReadOnlyList<CatalogItemInput> items, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int created = 0, updated = 0, unchanged = 0;
        var current = new List<CatalogItem>(items.Count);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var batch in items.Chunk(BatchSize))
        {
            await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
            var stored = (await session.LoadManyAsync<CatalogItem>(cancellationToken, batch.Select(i => CatalogItem.IdFor(tenantId, i.ItemId))))
                .ToDictionary(i => i.ItemId);
            foreach (var input in batch)
            {
                var existing = stored.GetValueOrDefault(input.ItemId);
                if (existing is not null && input.SameContentAs(existing))
                {
                    unchanged++;
                    current.Add(existing);
                    continue;
                }

                // A deleted item that comes back is created anew.
                var live = existing is { DeletedAt: null };
                if (live) updated++;
                else created++;
                var item = input.ToItem(tenantId, live ? existing!.CreatedAt : now, now);
                session.Store(item);
                current.Add(item);
            }
            await session.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new UpsertResult(created, updated, unchanged, current);
    }

    /// <summary>Marks a live item deleted; false when there is none. The tombstone keeps the item's last content.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string itemId, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var item = await session.LoadAsync<CatalogItem>(CatalogItem.IdFor(tenantId, itemId), cancellationToken);
        if (item is not { DeletedAt: null }) return false;

        var now = clock.GetUtcNow();
        session.Store(item with { UpdatedAt = now, DeletedAt = now });
        await session.SaveChangesAsync(cancellationToken);
        return true;
    }
}
