// Content-based recommendation, Pazzani & Billsus 2007: cosine of item TF-IDF vectors to the user's weighted profile. Recommend O(nnz(V) + n log k).
using System.Buffers;
using System.Numerics.Tensors;
using Personalization.Recommendation.Content;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Content-based recommendation (Pazzani &amp; Billsus 2007, "Content-Based Recommendation Systems"): a user's profile
/// is the weighted sum of the feature vectors of the items they interacted with, p_u = Σ_i r_ui·v_i, and an item's
/// score is its cosine to the profile, p_u·v_j / ‖p_u‖ (item vectors are unit length). Items nobody has interacted
/// with yet are scored like any other, which is how new items get reached. Fit O(1) (the features come in);
/// Recommend O(Σ_{i ∈ u} |v_i| + nnz(V) + n log k).
/// </summary>
public sealed class ContentBased(Func<IReadOnlyList<string>, SparseRows> featurize) : ICandidateGenerator
{
    private InteractionMatrix _interactions = null!;
    private SparseRows _features = null!;

    public string Name => "content";

    /// <summary>With features from the catalogue through <see cref="TextFeaturizer"/>.</summary>
    public static ContentBased FromCatalogue(IReadOnlyDictionary<string, ItemContent> catalogue, int seed = 0) =>
        new(ids => TextFeaturizer.Featurize(ids, catalogue, seed));

    public void Fit(InteractionMatrix interactions)
    {
        _interactions = interactions;
        _features = featurize(interactions.ItemIds);
    }

    public ScoredItem[] Recommend(int user, int k, ReadOnlySpan<int> exclude)
    {
        var profile = ArrayPool<float>.Shared.Rent(_features.Dimensions);
        var scores = ArrayPool<float>.Shared.Rent(_interactions.ItemCount);
        try
        {
            var p = profile.AsSpan(0, _features.Dimensions);
            p.Clear();
            var items = _interactions.ItemsOf(user);
            var values = _interactions.ValuesOfUser(user);
            for (var n = 0; n < items.Length; n++) _features.AddTo(items[n], values[n], p);
            var norm = TensorPrimitives.Norm(p);
            if (norm == 0) return [];
            var s = scores.AsSpan(0, _interactions.ItemCount);
            for (var item = 0; item < s.Length; item++)
                s[item] = _features.Indices(item).IsEmpty ? float.NegativeInfinity : _features.Dot(item, p) / norm;
            TopK.Exclude(s, exclude);
            return TopK.Select(s, k);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(profile);
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
