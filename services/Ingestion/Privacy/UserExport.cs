using Marten;
using Personalization.Contracts.EventLog;
using Personalization.Contracts.Privacy;
using Personalization.Ingestion.TrackingPlans;

namespace Personalization.Ingestion.Privacy;

public sealed record ExportedEvent(string Stream, long Version, long Sequence, DateTimeOffset StoredAt, EventAccepted Event);

public sealed record UserExportDocument(
    string TenantId, string UserId, DateTimeOffset ExportedAt, IReadOnlyList<string> Streams, IReadOnlyList<ExportedEvent> Events,
    Consent? Consent, IReadOnlyList<DeadLetter> DeadLetters, string Note);

/// <summary>Everything ingestion holds about a user (GDPR/CCPA access), as one JSON document.</summary>
public sealed class UserExport(IDocumentStore store, UserErasure erasure, TimeProvider clock)
{
    public async Task<UserExportDocument> ExportAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var streams = await erasure.StreamsOfAsync(tenantId, userId, cancellationToken);
        await using var session = store.QuerySession();
        var events = new List<ExportedEvent>();
        foreach (var stream in streams)
            foreach (var stored in await session.Events.FetchStreamAsync(stream, token: cancellationToken))
                if (stored.Data is EventAccepted accepted)
                    events.Add(new ExportedEvent(stream, stored.Version, stored.Sequence, stored.Timestamp, accepted));

        var consent = await session.LoadAsync<Consent>(Consent.IdFor(tenantId, userId), cancellationToken);
        var deadLetters = await session.Query<DeadLetter>().Where(d => d.TenantId == tenantId && (d.UserId == userId || d.Event!.UserId == userId)).ToListAsync(cancellationToken);
        return new UserExportDocument(tenantId, userId, clock.GetUtcNow(), streams, events, consent, deadLetters,
            "Profiles, segments and recommendations are derived only from these events; the profile itself is at GET /api/profiles/{userId} of Segmentation.");
    }
}
