using System.Collections.Concurrent;
using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Journeys;

/// <summary>A journey as it runs: its id and published version, parsed.</summary>
public sealed record LiveJourney(string Id, int Version, JourneyDefinition Definition);

/// <summary>
/// The tenants' journeys as the runtime needs them: the live ones (for entries), refreshed every couple of seconds,
/// and any version by number (for the occurrences that run on it), parsed once: a saved version never changes.
/// </summary>
public sealed class JourneyCatalog
{
    private readonly DefinitionStore _definitions;
    private readonly TenantCache<IReadOnlyList<LiveJourney>> _live;
    private readonly ConcurrentDictionary<(string Tenant, string Id, int Version), JourneyDefinition> _versions = new();

    public JourneyCatalog(DefinitionStore definitions, TimeProvider clock)
    {
        _definitions = definitions;
        _live = new TenantCache<IReadOnlyList<LiveJourney>>(LoadLiveAsync, clock);
    }

    /// <summary>A journey of the tenant was published, paused or archived here: this replica runs the change at once, others within the cache's time.</summary>
    public void Forget(string tenantId) => _live.Forget(tenantId);

    public Task<IReadOnlyList<LiveJourney>> LiveAsync(string tenantId, CancellationToken cancellationToken) => _live.GetAsync(tenantId, cancellationToken);

    /// <summary>Every tenant's live journeys that enter a segment's members on a schedule.</summary>
    public async Task<IReadOnlyList<(string TenantId, LiveJourney Journey)>> BroadcastsAsync(CancellationToken cancellationToken)
    {
        var broadcasts = new List<(string, LiveJourney)>();
        foreach (var (tenantId, published) in await _definitions.PublishedWithEntryAsync(DefinitionKind.Journey, "broadcast", cancellationToken))
            if (JourneyParser.Parse(published.Definition).Journey is { Entry: BroadcastEntry } journey)
                broadcasts.Add((tenantId, new LiveJourney(published.Id, published.Version, journey)));
        return broadcasts;
    }

    /// <returns>Null when the version does not exist (or no longer parses, which a saved version always did).</returns>
    public async Task<JourneyDefinition?> VersionAsync(string tenantId, string journeyId, int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((tenantId, journeyId, version), out var known)) return known;
        if (await _definitions.GetVersionAsync(tenantId, DefinitionKind.Journey, journeyId, version, cancellationToken) is not { } saved
            || JourneyParser.Parse(saved.Definition).Journey is not { } journey)
            return null;
        return _versions.GetOrAdd((tenantId, journeyId, version), journey);
    }

    private async Task<IReadOnlyList<LiveJourney>> LoadLiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        var live = new List<LiveJourney>();
        foreach (var published in await _definitions.PublishedAsync(tenantId, DefinitionKind.Journey, cancellationToken))
            if (JourneyParser.Parse(published.Definition).Journey is { } journey)
            {
                _versions.TryAdd((tenantId, published.Id, published.Version), journey);
                live.Add(new LiveJourney(published.Id, published.Version, journey));
            }
        return live;
    }
}
