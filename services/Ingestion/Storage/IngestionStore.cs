using Marten;
using JasperFx.Events;
using Personalization.Ingestion.Debugger;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Storage;

public static class IngestionStore
{
    public const string Schema = EventLog.Schema;

    public static void ConfigureMarten(StoreOptions options)
    {
        EventLog.Configure(options);
        // Quick append skips loading stream versions before writing: the writer never needs them.
        options.Events.AppendMode = EventAppendMode.Quick;
        options.Storage.ExtendedSchemaObjects.Add(DedupTable.Definition(Schema));
        options.Storage.ExtendedSchemaObjects.Add(DuplicateSightings.Definition(Schema));
        options.Storage.ExtendedSchemaObjects.Add(EventCounts.Definition(Schema));
    }
}
