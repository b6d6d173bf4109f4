using Personalization.Contracts.EventLog;
using Personalization.Ingestion.Identity;
using Personalization.Ingestion.Privacy;
using Personalization.Ingestion.Screening;

namespace Personalization.Ingestion.Pipeline;

/// <summary>
/// What every newly parsed event goes through before its plan check and the store, live or replayed from a dead
/// letter: identity (links recorded, anonymous ids resolved), screening flags and withdrawn consent. One result per
/// event, in order.
/// </summary>
public sealed class EventPreparation(IdentityResolver identities, EventScreening screening, ConsentDirectory consents)
{
    public async Task<IReadOnlyList<EventAccepted>> PrepareAsync(IReadOnlyList<EventAccepted> events, CancellationToken cancellationToken) =>
        await consents.FlagWithdrawnAsync(screening.Screen(await identities.ResolveAsync(events, cancellationToken)), cancellationToken);
}
