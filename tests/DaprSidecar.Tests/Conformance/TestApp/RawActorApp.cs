using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Personalization.DaprSidecar.Tests.Conformance.TestApp;

/// <summary>
/// An actor app written against the wire protocol alone, with no actor runtime. Dapr.Actors 1.19 serialises turns
/// inside the app too (its ActorTurnLock), which would hide an emulator that does not; this app shows what the emulator
/// itself lets through: how many callbacks run at once, per actor and overall.
/// </summary>
public sealed class RawActorApp(WebApplication app) : IAsyncDisposable
{
    public const string ActorType = "RawCounter";

    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private int _inFlightOverall;
    private int _maxInFlightOverall;

    public int MaxConcurrentTurns(string actorId) => _maxInFlight.GetValueOrDefault(actorId);
    public int MaxConcurrentCallbacksOverall => Volatile.Read(ref _maxInFlightOverall);
    public ConcurrentQueue<string> Callbacks { get; } = new();

    public static async Task<RawActorApp> StartAsync(Uri address)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(address.ToString());
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var raw = new RawActorApp(web);

        web.MapGet("/dapr/config", () => TypedResults.Json(new { entities = new[] { ActorType }, reentrancy = new { enabled = false } }));
        web.MapPut("/actors/{type}/{id}/method/{**method}", async (string id, string method) =>
        {
            raw.Enter(id);
            try
            {
                raw.Callbacks.Enqueue($"{id}:{method}");
                // Long enough that two turns let in together would overlap.
                await Task.Delay(10);
                return TypedResults.Ok("ok");
            }
            finally
            {
                raw.Leave(id);
            }
        });
        web.MapDelete("/actors/{type}/{id}", () => TypedResults.Ok());
        await web.StartAsync();
        return raw;
    }

    private void Enter(string id)
    {
        var now = _inFlight.AddOrUpdate(id, 1, (_, n) => n + 1);
        _maxInFlight.AddOrUpdate(id, now, (_, max) => Math.Max(max, now));
        var overall = Interlocked.Increment(ref _inFlightOverall);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlightOverall)) < overall && Interlocked.CompareExchange(ref _maxInFlightOverall, overall, seen) != seen) { }
    }

    private void Leave(string id)
    {
        _inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
        Interlocked.Decrement(ref _inFlightOverall);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
