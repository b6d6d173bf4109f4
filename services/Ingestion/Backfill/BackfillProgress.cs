using System.Diagnostics;

namespace Personalization.Ingestion.Backfill;

/// <summary>Counts of a backfill run, reported every few seconds and at the end.</summary>
public sealed class BackfillProgress(TextWriter output)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, long> _skipped = [];
    private TimeSpan _lastReport;

    public long Rows { get; private set; }
    public long Sent { get; private set; }
    public long Stored { get; private set; }
    public long Duplicates { get; private set; }
    public long DeadLettered { get; private set; }
    public IReadOnlyDictionary<string, long> Skipped => _skipped;
    public TimeSpan Elapsed => _clock.Elapsed;
    public double EventsPerSecond => Sent / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);

    public void RowRead() => Rows++;

    public void Skip(string reason) => _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;

    public void BatchAccepted(int sent, BatchAccepted answer)
    {
        Sent += sent;
        Stored += answer.Stored;
        Duplicates += answer.Duplicates;
        DeadLettered += answer.DeadLettered;
        if (_clock.Elapsed - _lastReport < ReportEvery) return;
        _lastReport = _clock.Elapsed;
        output.WriteLine($"  {Line()}");
    }

    public string Line() =>
        $"{Rows:N0} rows read, {Sent:N0} events sent, {Stored:N0} stored, {Duplicates:N0} duplicates, {DeadLettered:N0} dead-lettered, "
        + $"{_skipped.Values.Sum():N0} rows skipped, {EventsPerSecond:N0} events/s";

    public IEnumerable<string> SkipLines() => _skipped.OrderByDescending(s => s.Value).Select(s => $"  skipped {s.Value:N0}: {s.Key}");
}
