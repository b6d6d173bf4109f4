using System.Collections.Concurrent;
using Personalization.Contracts.Profiles;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>
/// Reads every customer of a tenant from the event log as of an instant: each person's stream is folded by the same
/// projection as their live profile, keeping the events up to the instant, so a discovery run can be repeated for
/// any past date and gives what live profiles would have shown then. Anonymous streams are left out.
/// </summary>
public sealed class CustomerFeatureReader(EventLogReader eventLog)
{
    private const int PageSize = 500;
    private const int Parallelism = 8;

    /// <param name="onPage">Told how many people have been read after each page (a worker renews its lease there).</param>
    public async Task<IReadOnlyList<CustomerFeatures>> ReadAsync(string tenantId, DateTimeOffset asOf, Func<long, CancellationToken, Task>? onPage, CancellationToken cancellationToken)
    {
        var customers = new ConcurrentBag<CustomerFeatures>();
        long people = 0;
        string? after = null;
        while (await eventLog.StreamsAsync(tenantId, after, PageSize, cancellationToken, peopleOnly: true) is { Count: > 0 } page)
        {
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (stream, ct) =>
            {
                var profile = new CustomerProfile();
                foreach (var e in await eventLog.ReadAsync(stream, 1, toVersion: 0, ct))
                    if (e.Timestamp <= asOf) CustomerProfileProjection.Apply(profile, e);
                if (CustomerFeatures.Of(profile, asOf) is { } customer) customers.Add(customer);
            });
            people += page.Count;
            after = page[^1];
            if (onPage is not null) await onPage(people, cancellationToken);
        }
        // In key order, so a run's random starts meet the customers in the same order every time.
        return customers.OrderBy(c => c.UserKey, StringComparer.Ordinal).ToList();
    }
}
