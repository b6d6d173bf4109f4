namespace Personalization.Recommendation.Drift;

/// <summary>
/// ADWIN2 (Bifet &amp; Gavaldà 2007): an adaptive window over a stream of values in [0, 1] that drops its older part
/// whenever the means of the two parts differ by more than chance allows at confidence <c>delta</c>. The window is an
/// exponential histogram, so memory and each check are logarithmic in its width.
/// </summary>
public sealed class Adwin(double delta = 0.002)
{
    /// <summary>Buckets kept per row before the two oldest merge into the next row (the paper's M).</summary>
    private const int BucketsPerRow = 5;
    /// <summary>Cuts are looked for every so many values: the paper's cheap variant, at the cost of a little delay.</summary>
    private const int CheckEvery = 32;
    /// <summary>Neither side of a cut may be shorter than this, so a single outlier cannot cut the window.</summary>
    private const int MinimumSide = 5;

    private readonly record struct Bucket(long Count, double Sum, double SquaredDeviations)
    {
        public double Mean => Sum / Count;

        public static Bucket Merge(Bucket a, Bucket b)
        {
            var count = a.Count + b.Count;
            var shift = a.Mean - b.Mean;
            return new Bucket(count, a.Sum + b.Sum, a.SquaredDeviations + b.SquaredDeviations + a.Count * b.Count * shift * shift / count);
        }
    }

    // rows[i] holds buckets of about 2^i values, oldest first; higher rows are older.
    private readonly List<List<Bucket>> _rows = [];
    private double _sum, _squaredDeviations;
    private long _seen;

    public long Width { get; private set; }
    public double Mean => Width == 0 ? 0 : _sum / Width;
    public double Variance => Width == 0 ? 0 : _squaredDeviations / Width;

    /// <summary>Adds a value; true when the window was cut, that is, when a change was detected.</summary>
    public bool Add(double value)
    {
        if (Width > 0)
        {
            var shift = value - Mean;
            _squaredDeviations += Width * shift * shift / (Width + 1);
        }
        Width++;
        _sum += value;
        Insert(new Bucket(1, value, 0));
        return ++_seen % CheckEvery == 0 && Shrink();
    }

    private void Insert(Bucket bucket)
    {
        for (var row = 0; ; row++)
        {
            if (row == _rows.Count) _rows.Add([]);
            var buckets = _rows[row];
            buckets.Add(bucket);
            if (buckets.Count <= BucketsPerRow) return;
            bucket = Bucket.Merge(buckets[0], buckets[1]);
            buckets.RemoveRange(0, 2);
        }
    }

    private bool Shrink()
    {
        var changed = false;
        while (Width > 2 * MinimumSide && HasCut())
        {
            DropOldest();
            changed = true;
        }
        return changed;
    }

    private bool HasCut()
    {
        long olderCount = 0;
        double olderSum = 0;
        var confidence = Math.Log(2 * Math.Log(Width) / delta);
        for (var row = _rows.Count - 1; row >= 0; row--)
            foreach (var bucket in _rows[row])
            {
                olderCount += bucket.Count;
                olderSum += bucket.Sum;
                var newerCount = Width - olderCount;
                if (newerCount < MinimumSide) return false;
                if (olderCount < MinimumSide) continue;
                var harmonic = 1.0 / (1.0 / olderCount + 1.0 / newerCount);
                var epsilon = Math.Sqrt(2 / harmonic * Variance * confidence) + 2 / (3 * harmonic) * confidence;
                if (Math.Abs(olderSum / olderCount - (_sum - olderSum) / newerCount) > epsilon) return true;
            }
        return false;
    }

    private void DropOldest()
    {
        var oldestRow = _rows[^1];
        var bucket = oldestRow[0];
        oldestRow.RemoveAt(0);
        if (oldestRow.Count == 0) _rows.RemoveAt(_rows.Count - 1);
        var restCount = Width - bucket.Count;
        var restMean = (_sum - bucket.Sum) / restCount;
        var shift = bucket.Mean - restMean;
        _squaredDeviations = Math.Max(0, _squaredDeviations - bucket.SquaredDeviations - bucket.Count * restCount * shift * shift / Width);
        _sum -= bucket.Sum;
        Width = restCount;
    }
}
