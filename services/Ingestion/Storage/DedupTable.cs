using Weasel.Postgresql.Tables;

namespace Personalization.Ingestion.Storage;

/// <summary>
/// Durable record of every (tenant, messageId) already stored. Claiming ids with INSERT ... ON CONFLICT in the
/// same transaction as the append makes deduplication exact across concurrent requests and nodes.
/// </summary>
public static class DedupTable
{
    public const string Name = "ingestion_dedup";

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("message_id").AsPrimaryKey();
        table.AddColumn<DateTimeOffset>("received_at").NotNull();
        return table;
    }

    public static string ClaimSql(string schema) =>
        $"""
        insert into {schema}.{Name} (tenant_id, message_id, received_at)
        select * from unnest(@tenants, @messages, @received)
        on conflict do nothing
        returning tenant_id, message_id
        """;
}
