using System.Collections.Concurrent;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Attribution;

/// <summary>Where a tenant's rebuild stands.</summary>
public sealed record RebuildStatus(string TenantId, string State, DateTimeOffset StartedAt, long Streams, long Events, DateTimeOffset? FinishedAt = null, string? Error = null);

/// <summary>
/// Attribution made again from the event log: the tenant's facts are dropped and every stream of the tenant is read
/// back through the same reading of events the live consumer uses, so the figures come out as before. Events that
/// arrive meanwhile are written by the consumer as usual (each fact once, whoever writes it first).
/// </summary>
public sealed class AttributionRebuild(EventLogReader log, AttributionStore store, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<AttributionRebuild> logger)
{
    private const int StreamsPerPage = 500;
    private readonly ConcurrentDictionary<string, RebuildStatus> _runs = new();

    public RebuildStatus? StatusOf(string tenantId) => _runs.GetValueOrDefault(tenantId);

    /// <summary>Starts a rebuild unless one is running for the tenant on this replica; the status either way.</summary>
    public RebuildStatus Start(string tenantId)
    {
        var started = new RebuildStatus(tenantId, "running", clock.GetUtcNow(), 0, 0);
        var status = _runs.AddOrUpdate(tenantId, started, (_, current) => current.State == "running" ? current : started);
        if (ReferenceEquals(status, started)) _ = Task.Run(() => RunAsync(tenantId, lifetime.ApplicationStopping));
        return status;
    }

    private async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        long streams = 0, events = 0;
        try
        {
            await store.DeleteAsync(tenantId, null, cancellationToken);
            for (string? after = null; ;)
            {
                var page = await log.StreamsAsync(tenantId, after, StreamsPerPage, cancellationToken);
                foreach (var stream in page)
                {
                    var recorded = await log.ReadAsync(stream, 0, 0, cancellationToken);
                    await store.AddAsync(recorded.Select(AttributionFacts.Of).Where(f => !f.IsEmpty), cancellationToken);
                    events += recorded.Count;
                }
                streams += page.Count;
                _runs[tenantId] = _runs[tenantId] with { Streams = streams, Events = events };
                if (page.Count < StreamsPerPage) break;
                after = page[^1];
            }
            _runs[tenantId] = _runs[tenantId] with { State = "succeeded", Streams = streams, Events = events, FinishedAt = clock.GetUtcNow() };
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Rebuilding attribution of tenant {TenantId} failed after {Streams} streams", tenantId, streams);
            _runs[tenantId] = _runs[tenantId] with { State = "failed", FinishedAt = clock.GetUtcNow(), Error = ex.Message };
        }
    }
}
