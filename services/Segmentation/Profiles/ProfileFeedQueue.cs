using System.Diagnostics;
using Microsoft.Extensions.Options;
using Personalization.Contracts.V1;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Profiles;

/// <summary>
/// Gathers by person the events of the messages handled at once: while a person's actor call is in flight, or waits
/// for one of the <see cref="ProfileFeedOptions.CallsAtOnce"/>, the events arriving for them wait and then go together,
/// in stream order, in the next call. So under load the events per call grow instead of the calls, and one person's
/// events of two messages meet the actor in order instead of costing a read of the log. Each call is a span in the
/// trace of the first message it serves (linking the others), since it runs outside any one message's consumer.
/// </summary>
public sealed class ProfileFeedQueue(IProfileFeed feeder, IOptions<ProfileFeedOptions> options)
{
    private static readonly ActivitySource Tracing = new(ProfileFeedMetrics.MeterName + ".Profiles");
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Person> _people = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _calls = new(options.Value.CallsAtOnce);

    /// <summary>Completes when every event of the message has been through an actor call; fails when one of those calls failed.</summary>
    public Task FeedAsync(EventsRecorded message, CancellationToken cancellationToken) =>
        Task.WhenAll(message.ByStream().Select(Enqueue)).WaitAsync(cancellationToken);

    private Task Enqueue(IReadOnlyList<EventRecorded> events)
    {
        var key = events[0].StreamKey;
        Person? started = null;
        Task fed;
        lock (_gate)
        {
            if (!_people.TryGetValue(key, out var person))
                _people[key] = started = person = new Person();
            person.Waiting.AddRange(events);
            person.Traces.Add(StoredTraces.Current);
            fed = person.Fed.Task;
        }
        if (started is not null)
            _ = Task.Run(() => DrainAsync(key, started));
        return fed;
    }

    /// <summary>
    /// Calls the person's actor with what has gathered, again and again until nothing waits. When the actor waits on
    /// a version, events gathered meanwhile go first (they often hold it); the log is read only when none are left.
    /// A message is done once its events are applied and nothing they wait on is left unsettled.
    /// </summary>
    private async Task DrainAsync(string key, Person person)
    {
        var unsettled = new List<TaskCompletionSource>();
        while (true)
        {
            await _calls.WaitAsync();
            try
            {
                List<EventRecorded> events;
                List<string?> traces;
                lock (_gate)
                {
                    (events, traces) = (person.Waiting, person.Traces);
                    unsettled.Add(person.Fed);
                    (person.Waiting, person.Traces, person.Fed) = ([], [], NewSignal());
                }
                using var span = Tracing.StartContinuing("profile apply", ActivityKind.Internal, traces);
                span?.SetTag("segmentation.profile.events", events.Count);
                // A redelivered message brings some versions twice; the actor would skip them, but need not see them.
                var outcome = await feeder.ApplyAsync(events.DistinctBy(e => e.StreamVersion).OrderBy(e => e.StreamVersion).ToList());
                if (outcome.FirstWaiting is null || !HasWaiting(person))
                {
                    // Not a message's token: the settling serves every message that brought one of these events.
                    await feeder.SettleAsync(key, outcome, CancellationToken.None);
                    Complete(unsettled, failure: null);
                }
            }
            catch (Exception e)
            {
                Complete(unsettled, e);
            }
            finally
            {
                _calls.Release();
            }
            lock (_gate)
            {
                if (person.Waiting.Count > 0) continue;
                _people.Remove(key);
                return;
            }
        }
    }

    private static void Complete(List<TaskCompletionSource> messages, Exception? failure)
    {
        foreach (var fed in messages)
            if (failure is null) fed.SetResult();
            else fed.SetException(failure);
        messages.Clear();
    }

    private bool HasWaiting(Person person)
    {
        lock (_gate) return person.Waiting.Count > 0;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Person
    {
        public List<EventRecorded> Waiting = [];
        public List<string?> Traces = [];
        public TaskCompletionSource Fed = NewSignal();
    }
}
