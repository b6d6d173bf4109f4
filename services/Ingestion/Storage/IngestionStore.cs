using JasperFx.Events;
using Marten;
using Marten.Events;

namespace Personalization.Ingestion.Storage;

public static class IngestionStore
{
    public const string Schema = "ingestion";

    public static void ConfigureMarten(StoreOptions options)
    {
        options.Events.StreamIdentity = StreamIdentity.AsString;
        // Quick append skips loading stream versions before writing: the writer never needs them.
        options.Events.AppendMode = EventAppendMode.Quick;
        options.Events.AddEventType<EventAccepted>();
        options.Storage.ExtendedSchemaObjects.Add(DedupTable.Definition(Schema));
    }
}
