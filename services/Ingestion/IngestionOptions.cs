namespace Personalization.Ingestion;

public enum IngestionRole
{
    /// <summary>Serves the tracking API; the async daemon is off (any number of replicas).</summary>
    Api,

    /// <summary>Runs Marten's async daemon in Solo mode and relays stored events to RabbitMQ (exactly one replica).</summary>
    Relay,
}

/// <summary>
/// The <c>Ingestion</c> configuration section. Each feature binds its own options class to it (<c>RequestLimits</c>,
/// <c>WriteKeyOptions</c>, <c>GroupCommitOptions</c>, <c>DedupOptions</c>), so the keys stay flat, as deployed.
/// </summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    public IngestionRole Role { get; set; } = IngestionRole.Api;
}
