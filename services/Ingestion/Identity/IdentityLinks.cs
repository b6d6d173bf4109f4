using Marten;
using Personalization.ServiceDefaults;
using Weasel.Postgresql.Tables;

namespace Personalization.Ingestion.Identity;

/// <summary>
/// Which known user each anonymous id belongs to, per tenant. The first identify or alias that names both wins:
/// an anonymous id is one device's visitor, and a later, different claim is more likely a shared device than a move.
/// </summary>
public static class IdentityLinks
{
    public const string Table = EventLog.IdentityLinksTable;

    public static void ConfigureMarten(StoreOptions options)
    {
        var table = new Table($"{options.DatabaseSchemaName}.{Table}");
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("anonymous_id").AsPrimaryKey();
        table.AddColumn<string>("user_id").NotNull();
        table.AddColumn<DateTimeOffset>("linked_at").NotNull();
        options.Storage.ExtendedSchemaObjects.Add(table);
    }
}
