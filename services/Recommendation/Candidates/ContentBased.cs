// Content-based recommendation, Pazzani & Billsus 2007: cosine of item TF-IDF vectors to the user's weighted profile. Recommend O(nnz(V) + n log k).
using System.Buffers;
using System.Numerics.Tensors;
using Personalization.Recommendation.Content;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Content-based recommendation (Pazzani &amp; Billsus 2007, "Content-Based Recommendation Systems"): a user's profile
/// is the weighted sum of the feature vectors of the items they interacted with, p_u = Σ_i r_ui·v_i, and an item's
/// score is its cosine to the profile, p_u·v_j / ‖p_u‖ (item vectors are unit length), over the catalogue's text. Items nobody has interacted
/// with yet are scored like any other, which is how new items get reached. Fit O(catalogue text);
/// Recommend O(Σ_{i ∈ u} |v_i| + nnz(V) + n log k).
/// </summary>
public sealed class ContentBased(int seed = 0) : ICandidateGenerator
{
    private SparseRows _features = null!;

    public string Name => "content";

    public SparseRows Features => _features;

    /// <summary>Features of the matrix's items from the training catalogue, through <see cref="TextFeaturizer"/>.</summary>
    public void Fit(TrainingData data) => _features = TextFeaturizer.Featurize(data.Matrix.ItemIds, data.Catalogue, seed);

    public void Save(ModelStateWriter writer) => _features.Save(writer);

    public void Load(ModelStateReader reader, TrainingData data) => _features = SparseRows.Load(reader);

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude)
    {
        var profile = ArrayPool<float>.Shared.Rent(_features.Dimensions);
        var scores = ArrayPool<float>.Shared.Rent(_features.RowCount);
        try
        {
            var p = profile.AsSpan(0, _features.Dimensions);
            p.Clear();
            for (var n = 0; n < person.Items.Length; n++) _features.AddTo(person.Items[n], person.Values[n], p);
            var norm = TensorPrimitives.Norm(p);
            if (norm == 0) return [];
            var s = scores.AsSpan(0, _features.RowCount);
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
