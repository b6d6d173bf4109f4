using Dapr.Actors;

namespace Personalization.DaprSidecar.Tests.Conformance.TestApp;

/// <summary>The remoting interface of the probe actor; non-remoting calls use the same method names.</summary>
public interface IProbeActor : IActor
{
    Task<int> IncrementAsync();
    Task<string> EchoAsync(string text);
    Task FailAsync(string message);
    Task<string?> GetValueAsync();
    Task SetValueAsync(string value);
    Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period, int repetitions);
    Task UnregisterReminderAsync(string name);
    Task RegisterTimerAsync(string name, TimeSpan dueTime, TimeSpan period);
    Task UnregisterTimerAsync(string name);
}

public interface IPingPongActor : IActor
{
    /// <summary>Calls the partner, which calls back, <paramref name="hops"/> times; returns the path taken.</summary>
    Task<string> PingAsync(string partnerId, int hops);
}
