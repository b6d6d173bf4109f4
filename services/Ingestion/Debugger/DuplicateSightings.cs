using Npgsql;
using NpgsqlTypes;
using Personalization.Contracts.EventLog;
using Weasel.Postgresql.Tables;

namespace Personalization.Ingestion.Debugger;

/// <summary>
/// Each message turned away as a duplicate, recorded in the commit that turned it away, so the live debugger of any
/// replica can show it. Kept for <see cref="Retention"/> only: it explains what a sender did, it is not data.
/// </summary>
public static class DuplicateSightings
{
    public const string Name = "ingestion_duplicates";
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn("id", "bigserial").AsPrimaryKey();
        table.AddColumn<string>("tenant_id").NotNull();
        table.AddColumn<string>("source_id").NotNull();
        table.AddColumn<string>("message_id").NotNull();
        table.AddColumn<string>("type").NotNull();
        table.AddColumn<string>("name");
        table.AddColumn<string>("user_id");
        table.AddColumn<string>("anonymous_id");
        table.AddColumn<DateTimeOffset>("received_at").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_source") { Columns = ["tenant_id", "source_id", "id"] });
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_received_at") { Columns = ["received_at"], Method = IndexMethod.brin });
        return table;
    }

    /// <summary>Records <paramref name="duplicates"/> inside the commit's transaction.</summary>
    public static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<EventAccepted> duplicates, string schema)
    {
        if (duplicates.Count == 0) return;
        await using var command = new NpgsqlCommand($"""
            insert into {schema}.{Name} (tenant_id, source_id, message_id, type, name, user_id, anonymous_id, received_at)
            select * from unnest(@tenants, @sources, @messages, @types, @names, @users, @anonymous, @received)
            """, connection, transaction);
        Add(command, "tenants", duplicates.Select(e => e.TenantId));
        Add(command, "sources", duplicates.Select(e => e.SourceId));
        Add(command, "messages", duplicates.Select(e => e.MessageId));
        Add(command, "types", duplicates.Select(e => e.Type));
        Add(command, "names", duplicates.Select(e => e.Name));
        Add(command, "users", duplicates.Select(e => e.UserId));
        Add(command, "anonymous", duplicates.Select(e => e.AnonymousId));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("received", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = duplicates.Select(e => e.ReceivedAt.UtcDateTime).ToArray(),
        });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes at most <c>@batch</c> sightings older than <c>@cutoff</c>, as the dedup cleanup does its ids.</summary>
    public static string DeleteExpiredSql(string schema) =>
        $"""
        delete from {schema}.{Name} where id in (
            select id from {schema}.{Name} where received_at < @cutoff limit @batch for update skip locked)
        """;

    private static void Add(NpgsqlCommand command, string name, IEnumerable<string?> values) =>
        command.Parameters.Add(new NpgsqlParameter<string?[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values.ToArray() });
}
