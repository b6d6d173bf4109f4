namespace Personalization.DaprSidecar.Discovery;

/// <summary>What the emulator needs to know about one actor type, read from its app's <c>/dapr/config</c>.</summary>
public sealed record ActorTypeSettings(string ActorType, Uri App, TimeSpan IdleTimeout, bool ReentrancyEnabled, int MaxStackDepth)
{
    /// <summary>daprd's defaults: 60 minutes idle, reentrancy stack limit 32.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(60);
    public const int DefaultMaxStackDepth = 32;
}
