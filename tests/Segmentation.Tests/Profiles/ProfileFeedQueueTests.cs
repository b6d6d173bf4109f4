using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;

namespace Personalization.Segmentation.Tests.Profiles;

public class ProfileFeedQueueTests
{
    private static EventRecorded Event(string user, long version) => new(
        Guid.NewGuid(), version, "t", "web", StreamKey.ForUser("t", user).ToString(), version, $"{user}-{version}", EventTypes.Track, "x", user, null,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { }));

    /// <summary>
    /// Records each call and applies versions in order as the actor does; a call waits while its person's gate is
    /// closed, and fails while the person is failing. Settling records a read of the log when a version is missing.
    /// </summary>
    private sealed class RecordingFeed : IProfileFeed
    {
        private int _inFlight;
        private readonly ConcurrentDictionary<string, SortedSet<long>> _received = new();
        public ConcurrentQueue<(string User, long[] Versions)> Calls { get; } = new();
        public ConcurrentQueue<(string StreamKey, long Missing)> LogReads { get; } = new();
        public ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();
        public ConcurrentDictionary<string, bool> Failing { get; } = new();
        public int MostAtOnce;

        /// <summary>Holds the person's calls until the returned action lets them go.</summary>
        public Action Hold(string user)
        {
            var gate = Gates[user] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return () =>
            {
                Gates.TryRemove(user, out _);
                gate.SetResult();
            };
        }

        public async Task<ApplyOutcome> ApplyAsync(IReadOnlyList<EventRecorded> events)
        {
            var user = events[0].UserId!;
            Calls.Enqueue((user, events.Select(e => e.StreamVersion).ToArray()));
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MostAtOnce, now);
            try
            {
                if (Gates.TryGetValue(user, out var gate)) await gate.Task;
                else await Task.Delay(20);
                if (Failing.ContainsKey(user)) throw new InvalidOperationException("the actor call failed");
                var received = _received.GetOrAdd(user, _ => []);
                received.UnionWith(events.Select(e => e.StreamVersion));
                var version = 0L;
                while (received.Contains(version + 1)) version++;
                return new ApplyOutcome(version, received.Max > version ? version + 1 : null, null);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task SettleAsync(string streamKey, ApplyOutcome outcome, CancellationToken cancellationToken)
        {
            if (outcome.FirstWaiting is { } missing) LogReads.Enqueue((streamKey, missing));
            return Task.CompletedTask;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    private static ProfileFeedQueue Queue(IProfileFeed feed, int callsAtOnce = 8) =>
        new(feed, Options.Create(new ProfileFeedOptions { CallsAtOnce = callsAtOnce }));

    [Test]
    public async Task A_persons_events_arriving_while_their_call_is_in_flight_go_together_in_order_once_in_the_next_call()
    {
        var feed = new RecordingFeed();
        var release = feed.Hold("ann");
        var queue = Queue(feed);

        var first = queue.FeedAsync(new EventsRecorded([Event("ann", 1)]), CancellationToken.None);
        await Eventually(() => feed.Calls.Count == 1);
        var second = queue.FeedAsync(new EventsRecorded([Event("ann", 4), Event("bob", 1)]), CancellationToken.None);
        var third = queue.FeedAsync(new EventsRecorded([Event("ann", 2), Event("ann", 3), Event("ann", 2)]), CancellationToken.None);
        await Task.Delay(200);
        Assert.That(first.IsCompleted || second.IsCompleted || third.IsCompleted, Is.False, "every message waits for ann's calls");

        release();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(10));

        var ann = feed.Calls.Where(c => c.User == "ann").Select(c => c.Versions).ToList();
        Assert.That(ann, Is.EqualTo(new[] { new long[] { 1 }, [2, 3, 4] }));
        Assert.That(feed.Calls.Where(c => c.User == "bob").Select(c => c.Versions), Is.EqualTo(new[] { new long[] { 1 } }));
    }

    [Test]
    public async Task A_version_the_actor_waits_on_is_looked_for_in_the_gathered_events_before_the_log()
    {
        var feed = new RecordingFeed();
        var release = feed.Hold("ann");
        var queue = Queue(feed);

        var early = queue.FeedAsync(new EventsRecorded([Event("ann", 2)]), CancellationToken.None);
        await Eventually(() => feed.Calls.Count == 1);
        var late = queue.FeedAsync(new EventsRecorded([Event("ann", 1)]), CancellationToken.None);
        release();
        await Task.WhenAll(early, late).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(feed.LogReads, Is.Empty, "version 1 came in the next message");

        await queue.FeedAsync(new EventsRecorded([Event("ann", 4)]), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(feed.LogReads, Is.EqualTo(new[] { (StreamKey.ForUser("t", "ann").ToString(), 3L) }), "nothing else gathered: version 3 is read from the log");
    }

    [Test]
    public async Task A_failed_call_fails_every_message_that_waited_on_it_and_the_next_message_gets_a_call_of_its_own()
    {
        var feed = new RecordingFeed();
        var release = feed.Hold("ann");
        var queue = Queue(feed);
        var holding = queue.FeedAsync(new EventsRecorded([Event("ann", 1)]), CancellationToken.None);
        await Eventually(() => feed.Calls.Count == 1);
        var withAnn = queue.FeedAsync(new EventsRecorded([Event("ann", 2), Event("bob", 1)]), CancellationToken.None);
        var alsoAnn = queue.FeedAsync(new EventsRecorded([Event("ann", 3)]), CancellationToken.None);

        feed.Failing["ann"] = true;
        release();
        Assert.ThrowsAsync<InvalidOperationException>(() => holding);
        Assert.ThrowsAsync<InvalidOperationException>(() => withAnn);
        Assert.ThrowsAsync<InvalidOperationException>(() => alsoAnn);

        feed.Failing.TryRemove("ann", out _);
        await queue.FeedAsync(new EventsRecorded([Event("ann", 2), Event("ann", 3)]), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(feed.Calls.Last(), Is.EqualTo(("ann", new long[] { 2, 3 })));
    }

    [Test]
    public async Task No_more_calls_than_allowed_are_in_flight_at_once()
    {
        var feed = new RecordingFeed();
        var queue = Queue(feed, callsAtOnce: 3);

        var messages = Enumerable.Range(0, 10).Select(m =>
            queue.FeedAsync(new EventsRecorded(Enumerable.Range(0, 20).Select(p => Event($"p{p}", m + 1)).ToList()), CancellationToken.None));
        await Task.WhenAll(messages).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(feed.MostAtOnce, Is.EqualTo(3));
        for (var p = 0; p < 20; p++)
            Assert.That(feed.Calls.Where(c => c.User == $"p{p}").SelectMany(c => c.Versions), Is.EqualTo(Enumerable.Range(1, 10).Select(v => (long)v)),
                $"p{p}'s events, each once, in order");
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.That(condition(), Is.True);
    }
}
