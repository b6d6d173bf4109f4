using Personalization.Contracts.Conditions;
using Personalization.Segmentation.Segments.Definitions;

namespace Personalization.Segmentation.Segments.Evaluation;

/// <summary>One live rule segment: the version in force and its parsed condition.</summary>
public sealed record LiveSegment(string Id, int Version, Condition Condition);

/// <summary>
/// A tenant's live rule segments, ready to evaluate: in dependency order (a segment after those it refers to), with
/// the event conditions gathered by tracker key and indexed by the event they watch, and every time-dependent test
/// listed for deadlines. Built once per change of definitions and shared by all of the tenant's actors.
/// </summary>
public sealed class SegmentSet
{
    public static readonly SegmentSet Empty = new([]);

    public IReadOnlyList<LiveSegment> Segments { get; }
    public IReadOnlyDictionary<string, Condition> Trackers { get; }
    public IReadOnlyList<EventCount> Windows { get; }
    public IReadOnlyList<NotFollowedBy> Sequences { get; }
    public IReadOnlyList<AgeTest> Ages { get; }
    private readonly Dictionary<(string Type, string Name), List<(string Key, EventMatch Match, TrackerRole Role)>> _byEvent = [];

    /// <param name="segments">In dependency order; <see cref="SegmentGraph"/> orders them.</param>
    public SegmentSet(IReadOnlyList<LiveSegment> segments)
    {
        Segments = segments;
        var trackers = new Dictionary<string, Condition>(StringComparer.Ordinal);
        var windows = new List<EventCount>();
        var sequences = new List<NotFollowedBy>();
        var ages = new List<AgeTest>();
        foreach (var segment in segments)
            Gather(segment.Condition, trackers, windows, sequences, ages);
        Trackers = trackers;
        Windows = windows;
        Sequences = sequences;
        Ages = ages;
    }

    /// <summary>The set of these versions, in dependency order.</summary>
    public static SegmentSet Of(IEnumerable<(string Id, int Version, ParsedDefinition Definition)> versions)
    {
        var byId = versions.ToDictionary(v => v.Id, StringComparer.Ordinal);
        return new SegmentSet(SegmentGraph.DependencyOrder(byId.ToDictionary(v => v.Key, v => v.Value.Definition, StringComparer.Ordinal))
            .Select(id => new LiveSegment(id, byId[id].Version, byId[id].Definition.Condition))
            .ToList());
    }

    /// <summary>This set and one more segment, evaluated last (so it may refer to any of these).</summary>
    public SegmentSet With(LiveSegment segment) => new([.. Segments, segment]);

    /// <summary>The trackers the event feeds, with the part each plays.</summary>
    public IReadOnlyList<(string Key, EventMatch Match, TrackerRole Role)> Watching(SegmentEvent e) =>
        e.MatchName is { } name && _byEvent.TryGetValue((e.Type, name), out var uses) ? uses : [];

    private void Gather(Condition condition, Dictionary<string, Condition> trackers, List<EventCount> windows, List<NotFollowedBy> sequences, List<AgeTest> ages)
    {
        switch (condition)
        {
            case AllOf all: foreach (var part in all.Parts) Gather(part, trackers, windows, sequences, ages); break;
            case AnyOf any: foreach (var part in any.Parts) Gather(part, trackers, windows, sequences, ages); break;
            case Not not: Gather(not.Part, trackers, windows, sequences, ages); break;
            case AgeTest age: ages.Add(age); break;
            case EventCount count when trackers.TryAdd(count.TrackerKey, count):
                Watch(count.Event, count.TrackerKey, TrackerRole.Count);
                if (count.Within is not null) windows.Add(count);
                break;
            case NotFollowedBy sequence:
                // One tracker serves every window over the same pair of events; each window has its own deadline.
                if (trackers.TryAdd(sequence.TrackerKey, sequence))
                {
                    Watch(sequence.First, sequence.TrackerKey, TrackerRole.First);
                    Watch(sequence.Then, sequence.TrackerKey, TrackerRole.Then);
                }
                sequences.Add(sequence);
                break;
        }
    }

    private void Watch(EventMatch match, string key, TrackerRole role)
    {
        if (!_byEvent.TryGetValue((match.Type, match.Name), out var uses)) _byEvent[(match.Type, match.Name)] = uses = [];
        uses.Add((key, match, role));
    }
}

public enum TrackerRole { Count, First, Then }
