using System.Collections.Concurrent;
using Personalization.Contracts;
using Personalization.Contracts.Commerce;
using Personalization.Contracts.Profiles;
using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>
/// A person's history as discovery reads it: their features at each instant asked for (null while they had not
/// ordered yet) and the times of all their orders, for labels such as "bought in the 30 days after".
/// </summary>
public sealed record CustomerHistory(string UserKey, CustomerFeatures?[] At, DateTimeOffset[] Orders)
{
    /// <summary>Whether they ordered after <paramref name="from"/>, up to and including <paramref name="to"/>.</summary>
    public bool OrderedBetween(DateTimeOffset from, DateTimeOffset to) => Orders.Any(o => o > from && o <= to);
}

/// <summary>
/// Reads every person of a tenant from the event log at one or more instants: each person's stream is folded by the
/// same projection as their live profile, in time order, and snapshotted at each instant, so a run can be repeated
/// for any past date and gives what live profiles would have shown then. Anonymous streams are left out.
/// </summary>
public sealed class CustomerFeatureReader(EventLogReader eventLog, CatalogueReader catalogue)
{
    private const int PageSize = 500;
    private const int Parallelism = 8;

    /// <param name="instants">Ascending.</param>
    /// <param name="onPage">Told how many people have been read after each page (a worker renews its lease there).</param>
    public async Task<IReadOnlyList<CustomerHistory>> ReadAsync(string tenantId, IReadOnlyList<DateTimeOffset> instants,
        Func<long, CancellationToken, Task>? onPage, CancellationToken cancellationToken)
    {
        var categories = CategoryUnits.TopLevels(await catalogue.ReadAsync(tenantId, since: null, cancellationToken));
        var people = new ConcurrentBag<CustomerHistory>();
        long read = 0;
        string? after = null;
        while (await eventLog.StreamsAsync(tenantId, after, PageSize, cancellationToken, peopleOnly: true) is { Count: > 0 } page)
        {
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (stream, ct) =>
            {
                var events = (await eventLog.ReadAsync(stream, 1, toVersion: 0, ct)).OrderBy(e => e.Timestamp).ToList();
                var profile = new CustomerProfile();
                var bought = new CategoryUnits(categories);
                var at = new CustomerFeatures?[instants.Count];
                var next = 0;
                for (var n = 0; n <= events.Count; n++)
                {
                    for (; next < instants.Count && (n == events.Count || events[n].Timestamp > instants[next]); next++)
                        at[next] = CustomerFeatures.Of(profile, instants[next], bought);
                    if (n == events.Count) break;
                    bought.Add(events[n], profile);
                    CustomerProfileProjection.Apply(profile, events[n]);
                }
                var orders = events.Where(e => e.Flags == EventFlags.None && CommerceEvents.ActionOf(e.Name) == CommerceAction.OrderCompleted)
                    .Select(e => e.Timestamp).ToArray();
                if (profile.UserKey.Length > 0) people.Add(new CustomerHistory(profile.UserKey, at, orders));
            });
            read += page.Count;
            after = page[^1];
            if (onPage is not null) await onPage(read, cancellationToken);
        }
        // In key order, so a run's random starts meet the customers in the same order every time.
        return people.OrderBy(c => c.UserKey, StringComparer.Ordinal).ToList();
    }
}
