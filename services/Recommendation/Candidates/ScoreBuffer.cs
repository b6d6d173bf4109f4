namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Sparse accumulation of scores over n entries: add to the entries a neighbourhood touches, then take the top k of
/// just those. Buffers are kept per thread and cleared only where touched, so a call costs what it touches, not n.
/// Dispose hands the buffer back. O(touched + touched·log k).
/// </summary>
public sealed class ScoreBuffer : IDisposable
{
    [ThreadStatic] private static ScoreBuffer? _spare;

    private readonly float[] _scores;
    private readonly bool[] _seen;
    private readonly int[] _touched;
    private int _length;
    private int _count;

    private ScoreBuffer(int capacity)
    {
        _scores = new float[capacity];
        _seen = new bool[capacity];
        _touched = new int[capacity];
    }

    /// <summary>A cleared buffer over <paramref name="length"/> entries.</summary>
    public static ScoreBuffer Rent(int length)
    {
        var buffer = _spare is { } spare && spare._scores.Length >= length ? spare : new ScoreBuffer(length);
        if (ReferenceEquals(buffer, _spare)) _spare = null;
        buffer._length = length;
        return buffer;
    }

    public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _count);
    public Span<float> Scores => _scores.AsSpan(0, _length);

    public void Add(int index, float value)
    {
        if (!_seen[index])
        {
            _seen[index] = true;
            _touched[_count++] = index;
        }
        _scores[index] += value;
    }

    /// <summary>The best k touched entries, none of them excluded.</summary>
    public ScoredItem[] Top(int k, ReadOnlySpan<int> exclude)
    {
        foreach (var index in exclude)
            if ((uint)index < (uint)_length && _seen[index]) _scores[index] = float.NegativeInfinity;
        return TopK.Select(Scores, Touched, k);
    }

    public void Dispose()
    {
        foreach (var index in Touched)
        {
            _scores[index] = 0;
            _seen[index] = false;
        }
        _count = 0;
        if (_spare is null || _spare._scores.Length < _scores.Length) _spare = this;
    }
}
