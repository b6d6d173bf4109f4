// Top-k selection with a bounded binary min-heap (Williams 1964). O(n log k).
namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Top-k selection with a bounded min-heap: O(n log k) over n scores. Excluded or unscored entries are
/// <see cref="float.NegativeInfinity"/>. Ties go to the lower index, so results are deterministic.
/// </summary>
public static class TopK
{
    /// <summary>Sets the excluded entries of a score buffer to -∞.</summary>
    public static void Exclude(Span<float> scores, ReadOnlySpan<int> exclude)
    {
        foreach (var item in exclude)
            if ((uint)item < (uint)scores.Length) scores[item] = float.NegativeInfinity;
    }

    /// <summary>The best k of all scores.</summary>
    public static ScoredItem[] Select(ReadOnlySpan<float> scores, int k)
    {
        var heap = new Heap(k);
        for (var item = 0; item < scores.Length; item++)
            heap.Offer(item, scores[item]);
        return heap.Drain();
    }

    /// <summary>The best k among the candidate indices (each listed once).</summary>
    public static ScoredItem[] Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> candidates, int k)
    {
        var heap = new Heap(k);
        foreach (var item in candidates)
            heap.Offer(item, scores[item]);
        return heap.Drain();
    }

    private struct Heap(int capacity)
    {
        private readonly int[] _items = new int[Math.Max(capacity, 0)];
        private readonly float[] _scores = new float[Math.Max(capacity, 0)];
        private int _count;

        // "a below b": a would be dropped before b.
        private readonly bool Below(int a, int b) =>
            _scores[a] < _scores[b] || (_scores[a] == _scores[b] && _items[a] > _items[b]);

        public void Offer(int item, float score)
        {
            if (_items.Length == 0 || float.IsNegativeInfinity(score) || float.IsNaN(score)) return;
            if (_count < _items.Length)
            {
                _items[_count] = item;
                _scores[_count] = score;
                SiftUp(_count++);
                return;
            }
            if (score < _scores[0] || (score == _scores[0] && item > _items[0])) return;
            _items[0] = item;
            _scores[0] = score;
            SiftDown(0);
        }

        public ScoredItem[] Drain()
        {
            var result = new ScoredItem[_count];
            for (var n = _count - 1; n >= 0; n--)
            {
                result[n] = new ScoredItem(_items[0], _scores[0]);
                _count--;
                if (_count > 0)
                {
                    _items[0] = _items[_count];
                    _scores[0] = _scores[_count];
                    SiftDown(0);
                }
            }
            return result;
        }

        private void SiftUp(int n)
        {
            while (n > 0)
            {
                var parent = (n - 1) / 2;
                if (!Below(n, parent)) return;
                Swap(n, parent);
                n = parent;
            }
        }

        private void SiftDown(int n)
        {
            while (true)
            {
                var smallest = n;
                var left = 2 * n + 1;
                if (left < _count && Below(left, smallest)) smallest = left;
                if (left + 1 < _count && Below(left + 1, smallest)) smallest = left + 1;
                if (smallest == n) return;
                Swap(n, smallest);
                n = smallest;
            }
        }

        private readonly void Swap(int a, int b)
        {
            (_items[a], _items[b]) = (_items[b], _items[a]);
            (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        }
    }
}
