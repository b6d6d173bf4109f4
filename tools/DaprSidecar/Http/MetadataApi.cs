using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Http;

/// <summary>
/// <c>GET /v1.0/metadata</c>, the actor part of daprd's answer: how many actors of each type are active on this host
/// (<c>actors</c> and <c>actorRuntime.activeActors</c>) and whether placement is connected; with placement on,
/// <c>extended</c> lists each type's hosts as this emulator sees them (<c>placement:{type}</c>: comma-separated).
/// </summary>
public static class MetadataApi
{
    public sealed record ActiveActors(string Type, int Count);

    public sealed record ActorRuntime(string RuntimeStatus, IReadOnlyList<ActiveActors> ActiveActors, bool HostReady, string Placement);

    public sealed record Metadata(string Id, IReadOnlyList<ActiveActors> Actors, ActorRuntime ActorRuntime, IReadOnlyDictionary<string, string> Extended);

    public static IEndpointRouteBuilder MapMetadataApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1.0/metadata", (ActorTable table, ActorPlacement placement) =>
        {
            var active = table.ActiveCounts().OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ActiveActors(c.Key, c.Value)).ToList();
            var connection = !placement.Enabled ? "placement: off (single host)"
                : placement.LeaseHeld ? "placement: connected" : "placement: disconnected";
            var rings = placement.Rings.ToDictionary(r => $"placement:{r.Key}", r => string.Join(",", r.Value.Hosts));
            return TypedResults.Ok(new Metadata(placement.Self, active, new ActorRuntime("RUNNING", active, placement.LeaseHeld, connection), rings));
        });
        return app;
    }
}
