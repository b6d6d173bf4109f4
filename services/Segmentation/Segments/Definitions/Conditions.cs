using Personalization.Contracts.Conditions;

namespace Personalization.Segmentation.Segments.Definitions;

/// <summary>Performed an event at least / at most so many times, within a sliding window or ever.</summary>
public sealed record EventCount(EventMatch Event, int? AtLeast, int? AtMost, TimeSpan? Within) : Condition
{
    /// <summary>The most recent occurrences that decide the test: with fewer kept, a count could not be known.</summary>
    public int Kept => Math.Max(AtLeast ?? 1, (AtMost ?? 0) + 1);

    public string TrackerKey => Within is { } within
        ? $"window|{Event.Key}|{within.Ticks}|{Kept}"
        : $"total|{Event.Key}";
}

/// <summary>
/// Performed <see cref="First"/> and then not <see cref="Then"/> within <see cref="Within"/>, as in "added to cart, no
/// purchase within 24 hours". The clock starts at the first <see cref="First"/> since the last <see cref="Then"/>
/// (adding more to the cart does not restart it); true from <see cref="Within"/> after it until the next <see cref="Then"/>.
/// </summary>
public sealed record NotFollowedBy(EventMatch First, EventMatch Then, TimeSpan Within) : Condition
{
    public string TrackerKey => $"sequence|{First.Key}|{Then.Key}";
}

/// <summary>Which events count: a call type, a name (commerce names match in any spelling) and property tests.</summary>
public sealed record EventMatch(string Type, string Name, IReadOnlyList<PropertyTest> Where)
{
    /// <summary>Stands for the match in tracker keys: the same match in two segments shares one tracker.</summary>
    public string Key => Where.Count == 0
        ? $"{Type}:{Name}"
        : $"{Type}:{Name}?{string.Join('&', Where.Select(w => w.Key).Order(StringComparer.Ordinal))}";
}

/// <summary>A test of one property (dotted path under <c>properties</c>) of an event.</summary>
public sealed record PropertyTest(string Path, IReadOnlyList<Comparison> Comparisons)
{
    public string Key => Path + "=" + string.Join(',', Comparisons.Select(c => $"{c.Operator}:{c.Operand.GetRawText()}"));
}
