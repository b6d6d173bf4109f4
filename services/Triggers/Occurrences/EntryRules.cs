using System.Security.Cryptography;
using System.Text;
using Personalization.Triggers.Journeys;

namespace Personalization.Triggers.Occurrences;

/// <summary>An earlier occurrence of the person in the journey, as the re-entry policy weighs it.</summary>
public sealed record PastOccurrence(string ActorId, int Number, string EntryId, DateTimeOffset EnteredAt, OccurrenceStatus Status);

/// <summary>Who may enter a journey, and who of them is held out.</summary>
public static class EntryRules
{
    /// <summary>Why the person may not enter now, or null when they may.</summary>
    /// <param name="past">The person's occurrences of the journey, under any key.</param>
    public static string? Refusal(Reentry reentry, string actorId, string entryId, IReadOnlyCollection<PastOccurrence> past, DateTimeOffset now)
    {
        if (past.Any(p => p.ActorId == actorId && p.EntryId == entryId)) return "entered on this message already";
        if (past.Any(p => p.ActorId == actorId && p.Status == OccurrenceStatus.Waiting)) return "in the journey already with this key";
        return reentry.Mode switch
        {
            ReentryMode.Once when past.Count > 0 => "entered before, and the journey is entered once",
            ReentryMode.OncePer when past.Any(p => p.EnteredAt > now - reentry.Period!.Value) =>
                $"entered within the last {Contracts.Durations.Format(reentry.Period!.Value)}",
            _ => null,
        };
    }

    /// <summary>
    /// Whether the person is in the journey's holdout: a hash of the tenant, journey and person against the share, so
    /// it is random across people but sticky for each, every time they enter.
    /// </summary>
    public static bool HeldOut(string tenantId, string journeyId, string userId, double share)
    {
        if (share <= 0) return false;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"holdout\n{tenantId}\n{journeyId}\n{userId}"));
        return BitConverter.ToUInt64(hash, 0) / (double)ulong.MaxValue < share;
    }

    /// <summary>The id of the actor for (tenant, journey, person, key): a hash, so actor ids and reminders carry no personal data.</summary>
    public static string ActorId(string tenantId, string journeyId, string userId, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{journeyId}\n{userId}\n{key}")))[..40];
}
