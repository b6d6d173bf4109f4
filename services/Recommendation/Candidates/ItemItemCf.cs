// Item-based CF with shrunk cosine, Sarwar et al. 2001 / Deshpande & Karypis 2004, shrinkage after Koren 2008. Fit O(Σ_u |row_u|²), Recommend O(|row_u|·K).
using System.Buffers;
using System.Numerics.Tensors;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Item-based collaborative filtering (Sarwar, Karypis, Konstan &amp; Riedl 2001; Deshpande &amp; Karypis 2004),
/// with cosine similarity shrunk towards zero for items with little overlap (Koren 2008):
/// sim(i, j) = r_i·r_j / (‖r_i‖‖r_j‖ + λ), over 0/1 indicators by default, keeping each item's top-K neighbours. A user's score for j is
/// Σ_{i ∈ user} r_ui · sim(i, j). Fit O(Σ_u |row_u|² + n·K log K), in parallel over items; Recommend
/// O(|row_u|·K + c log k) for c candidates.
/// </summary>
public sealed class ItemItemCf(ItemItemCf.Options? options = null) : ICandidateGenerator
{
    /// <summary>Defaults chosen on the Online Retail validation period (see the service README), never on its test month.</summary>
    public sealed record Options
    {
        public static readonly Options Default = new();

        /// <summary>Neighbours kept per item.</summary>
        public int Neighbours { get; init; } = 10;

        /// <summary>λ, added to the denominator; in co-occurrences when <see cref="BinarySimilarity"/>.</summary>
        public float Shrinkage { get; init; } = 10f;

        /// <summary>
        /// Similarity from who interacted (0/1) rather than from the weights, which then only weigh the user's own
        /// items when scoring. Keeps λ in units of co-occurrences whatever the weighting and decay.
        /// </summary>
        public bool BinarySimilarity { get; init; } = true;

        public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    }

    private readonly Options _options = options ?? new Options();
    private InteractionMatrix _interactions = null!;
    private int[] _offsets = [0];
    private int[] _neighbours = [];
    private float[] _similarities = [];

    public string Name => "item-item";

    /// <summary>Item j's neighbours of item i, best first.</summary>
    public ScoredItem[] NeighboursOf(int item)
    {
        var result = new ScoredItem[_offsets[item + 1] - _offsets[item]];
        for (var n = 0; n < result.Length; n++)
            result[n] = new ScoredItem(_neighbours[_offsets[item] + n], _similarities[_offsets[item] + n]);
        return result;
    }

    public void Fit(InteractionMatrix interactions)
    {
        _interactions = interactions;
        var itemCount = interactions.ItemCount;
        var norms = new float[itemCount];
        for (var item = 0; item < itemCount; item++)
            norms[item] = _options.BinarySimilarity ? MathF.Sqrt(interactions.UsersOf(item).Length) : TensorPrimitives.Norm(interactions.ValuesOfItem(item));

        var lists = new ScoredItem[itemCount][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        Parallel.For(0, itemCount, parallel,
            () => (Dot: new float[itemCount], Touched: new int[itemCount], Seen: new bool[itemCount]),
            (item, _, scratch) =>
            {
                lists[item] = NeighboursOf(interactions, item, norms, scratch.Dot, scratch.Touched, scratch.Seen);
                return scratch;
            },
            _ => { });

        _offsets = new int[itemCount + 1];
        for (var item = 0; item < itemCount; item++) _offsets[item + 1] = _offsets[item] + lists[item].Length;
        _neighbours = new int[_offsets[^1]];
        _similarities = new float[_offsets[^1]];
        for (var item = 0; item < itemCount; item++)
            for (var n = 0; n < lists[item].Length; n++)
            {
                _neighbours[_offsets[item] + n] = lists[item][n].Item;
                _similarities[_offsets[item] + n] = lists[item][n].Score;
            }
    }

    private ScoredItem[] NeighboursOf(InteractionMatrix interactions, int item, float[] norms, float[] dot, int[] touched, bool[] seen)
    {
        // Sparse × sparse: every user of the item adds its other items' co-occurrence, touching only what overlaps.
        var count = 0;
        var users = interactions.UsersOf(item);
        var weights = interactions.ValuesOfItem(item);
        for (var n = 0; n < users.Length; n++)
        {
            var items = interactions.ItemsOf(users[n]);
            var values = interactions.ValuesOfUser(users[n]);
            var weight = _options.BinarySimilarity ? 1f : weights[n];
            for (var m = 0; m < items.Length; m++)
            {
                var other = items[m];
                if (!seen[other])
                {
                    seen[other] = true;
                    touched[count++] = other;
                }
                dot[other] += _options.BinarySimilarity ? 1f : weight * values[m];
            }
        }

        var candidates = touched.AsSpan(0, count);
        foreach (var other in candidates)
        {
            dot[other] = other == item ? float.NegativeInfinity : dot[other] / (norms[item] * norms[other] + _options.Shrinkage);
        }
        var best = TopK.Select(dot, candidates, _options.Neighbours);
        foreach (var other in candidates)
        {
            dot[other] = 0;
            seen[other] = false;
        }
        return best;
    }

    public ScoredItem[] Recommend(int user, int k, ReadOnlySpan<int> exclude)
    {
        var itemCount = _interactions.ItemCount;
        var scores = ArrayPool<float>.Shared.Rent(itemCount);
        var touched = ArrayPool<int>.Shared.Rent(itemCount);
        try
        {
            Array.Clear(scores, 0, itemCount);
            var count = 0;
            var items = _interactions.ItemsOf(user);
            var values = _interactions.ValuesOfUser(user);
            for (var n = 0; n < items.Length; n++)
            {
                var from = _offsets[items[n]];
                var to = _offsets[items[n] + 1];
                for (var m = from; m < to; m++)
                {
                    var candidate = _neighbours[m];
                    if (scores[candidate] == 0) touched[count++] = candidate;
                    scores[candidate] += values[n] * _similarities[m];
                }
            }
            var span = scores.AsSpan(0, itemCount);
            TopK.Exclude(span, exclude);
            return TopK.Select(span, touched.AsSpan(0, count), k);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(touched);
        }
    }
}
