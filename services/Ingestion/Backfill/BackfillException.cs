namespace Personalization.Ingestion.Backfill;

/// <summary>Stops a backfill with a message for the person running it; the checkpoint keeps what was done.</summary>
public sealed class BackfillException(string message) : Exception(message);
