// User-based CF, Resnick et al. 1994 (GroupLens) / Herlocker et al. 1999: top-N cosine neighbours, weighted sum. Recommend O(Σ_{i∈u} |col_i| + Σ_{v∈N(u)} |row_v|).
using System.Buffers;
using System.Numerics.Tensors;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// User-based collaborative filtering (Resnick et al. 1994, GroupLens; Herlocker et al. 1999): the top-N users most
/// similar to the user by shrunk cosine, sim(u, v) = r_u·r_v / (‖r_u‖‖r_v‖ + λ) (over 0/1 indicators by default),
/// and an item's score the
/// similarity-weighted sum of those neighbours' weights for it, Σ_v sim(u, v)·r_vj. Neighbours are found at
/// request time: Fit O(nnz); Recommend O(Σ_{i ∈ u} |col_i| + Σ_{v ∈ N(u)} |row_v| + c log k).
/// </summary>
public sealed class UserUserCf(UserUserCf.Options? options = null) : ICandidateGenerator
{
    /// <summary>Defaults chosen on the Online Retail validation period (see the service README), never on its test month.</summary>
    public sealed record Options
    {
        public static readonly Options Default = new();

        /// <summary>N, the similar users whose items are aggregated.</summary>
        public int Neighbours { get; init; } = 200;

        /// <summary>λ, added to the denominator; in shared items when <see cref="BinarySimilarity"/>.</summary>
        public float Shrinkage { get; init; } = 0f;

        /// <summary>
        /// Similarity from which items users share (0/1) rather than from the weights, which then only weigh the
        /// neighbours' items in the aggregation. Keeps λ in units of shared items whatever the weighting and decay.
        /// </summary>
        public bool BinarySimilarity { get; init; }
    }

    private readonly Options _options = options ?? new Options();
    private InteractionMatrix _interactions = null!;
    private float[] _norms = [];

    public string Name => "user-user";

    public void Fit(InteractionMatrix interactions)
    {
        _interactions = interactions;
        _norms = new float[interactions.UserCount];
        for (var user = 0; user < interactions.UserCount; user++)
            _norms[user] = _options.BinarySimilarity ? MathF.Sqrt(interactions.ItemsOf(user).Length) : TensorPrimitives.Norm(interactions.ValuesOfUser(user));
    }

    /// <summary>The user's most similar users, best first.</summary>
    public ScoredItem[] NeighboursOf(int user)
    {
        var userCount = _interactions.UserCount;
        var dot = ArrayPool<float>.Shared.Rent(userCount);
        var touched = ArrayPool<int>.Shared.Rent(userCount);
        try
        {
            Array.Clear(dot, 0, userCount);
            var count = 0;
            var items = _interactions.ItemsOf(user);
            var values = _interactions.ValuesOfUser(user);
            for (var n = 0; n < items.Length; n++)
            {
                var others = _interactions.UsersOf(items[n]);
                var weights = _interactions.ValuesOfItem(items[n]);
                for (var m = 0; m < others.Length; m++)
                {
                    if (dot[others[m]] == 0) touched[count++] = others[m];
                    dot[others[m]] += _options.BinarySimilarity ? 1f : values[n] * weights[m];
                }
            }
            var candidates = touched.AsSpan(0, count);
            foreach (var other in candidates)
                dot[other] = other == user ? float.NegativeInfinity : dot[other] / (_norms[user] * _norms[other] + _options.Shrinkage);
            return TopK.Select(dot.AsSpan(0, userCount), candidates, _options.Neighbours);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(dot);
            ArrayPool<int>.Shared.Return(touched);
        }
    }

    public ScoredItem[] Recommend(int user, int k, ReadOnlySpan<int> exclude)
    {
        var neighbours = NeighboursOf(user);
        var itemCount = _interactions.ItemCount;
        var scores = ArrayPool<float>.Shared.Rent(itemCount);
        var touched = ArrayPool<int>.Shared.Rent(itemCount);
        try
        {
            Array.Clear(scores, 0, itemCount);
            var count = 0;
            foreach (var (neighbour, similarity) in neighbours)
            {
                var items = _interactions.ItemsOf(neighbour);
                var values = _interactions.ValuesOfUser(neighbour);
                for (var n = 0; n < items.Length; n++)
                {
                    if (scores[items[n]] == 0) touched[count++] = items[n];
                    scores[items[n]] += similarity * values[n];
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
