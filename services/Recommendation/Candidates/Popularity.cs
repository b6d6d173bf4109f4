// Popularity baselines (overall and per context): weighted interaction counts. Fit O(nnz + contexts·n log n), Recommend O(k + |exclude|).
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Most popular items: each item's weighted interaction count (the sum of its column), the same list for everyone.
/// The baseline every other generator has to beat. Fit O(nnz + n log n); Recommend O(k + |exclude|·k).
/// </summary>
public sealed class Popularity : ICandidateGenerator, IItemScorer
{
    private ScoredItem[] _ranking = [];
    private float[] _weights = [];

    public string Name => "popularity";

    public void Fit(TrainingData data)
    {
        _weights = ItemWeights(data.Matrix, _ => true);
        _ranking = Rank(_weights);
    }

    public void Score(Person person, ReadOnlySpan<int> items, Span<float> scores)
    {
        for (var n = 0; n < items.Length; n++) scores[n] = _weights[items[n]];
    }

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude) => Take(_ranking, k, exclude, []);

    /// <summary>Nothing to write: the weights are the matrix's column sums.</summary>
    public void Save(ModelStateWriter writer) { }

    public void Load(ModelStateReader reader, TrainingData data) => Fit(data);

    /// <summary>Each item's summed weight over the users that pass the filter.</summary>
    internal static float[] ItemWeights(InteractionMatrix interactions, Func<int, bool> includeUser)
    {
        var weights = new float[interactions.ItemCount];
        for (var user = 0; user < interactions.UserCount; user++)
        {
            if (!includeUser(user)) continue;
            var items = interactions.ItemsOf(user);
            var values = interactions.ValuesOfUser(user);
            for (var n = 0; n < items.Length; n++) weights[items[n]] += values[n];
        }
        return weights;
    }

    /// <summary>Items with a positive weight, best first, ties to the lower index.</summary>
    internal static ScoredItem[] Rank(float[] weights)
    {
        var positive = 0;
        foreach (var weight in weights)
            if (weight > 0) positive++;
        return TopK.Select(weights, positive);
    }

    /// <summary>The first k of a ranking that are neither excluded nor already taken.</summary>
    internal static ScoredItem[] Take(ScoredItem[] ranking, int k, ReadOnlySpan<int> exclude, ReadOnlySpan<ScoredItem> taken)
    {
        var skip = new HashSet<int>(exclude.Length + taken.Length);
        foreach (var item in exclude) skip.Add(item);
        foreach (var scored in taken) skip.Add(scored.Item);
        var result = new List<ScoredItem>(Math.Min(k, ranking.Length));
        foreach (var candidate in ranking)
        {
            if (result.Count == k) break;
            if (skip.Add(candidate.Item)) result.Add(candidate);
        }
        return [.. result];
    }
}

/// <summary>
/// Most popular items among users in the same context (country, device), filled up from the overall ranking when
/// the context is small or unknown. Context popularity also answers a new user whose only known thing is the
/// context. Fit O(nnz + c·n log n) for c contexts.
/// </summary>
public sealed class ContextPopularity : ICandidateGenerator
{
    private float[] _weights = [];
    private ScoredItem[] _overall = [];
    private Dictionary<string, ScoredItem[]> _byContext = new(StringComparer.Ordinal);

    public string Name => "popularity-by-context";

    public void Fit(TrainingData data)
    {
        var interactions = data.Matrix;
        _weights = Popularity.ItemWeights(interactions, _ => true);
        _overall = Popularity.Rank(_weights);
        _byContext = interactions.UserContexts.Where(c => c is not null).Distinct().ToDictionary(
            c => c!, c => Popularity.Rank(Popularity.ItemWeights(interactions, u => interactions.UserContexts[u] == c)), StringComparer.Ordinal);
    }

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude) => RecommendFor(person.Context, k, exclude);

    /// <summary>Nothing to write: the lists come from the matrix and its users' contexts.</summary>
    public void Save(ModelStateWriter writer) { }

    public void Load(ModelStateReader reader, TrainingData data) => Fit(data);

    /// <summary>The item's weighted interaction count over everyone.</summary>
    public float Weight(int item) => (uint)item < (uint)_weights.Length ? _weights[item] : 0f;

    /// <summary>Whether the item is among the context's own most popular (not a fill-up from the overall ranking).</summary>
    public bool IsPopularIn(string? context, int item, int top = 100) =>
        context is not null && _byContext.TryGetValue(context, out var ranking) && ranking.Take(top).Any(s => s.Item == item);

    /// <summary>For a context alone, as for a new user.</summary>
    public ScoredItem[] RecommendFor(string? context, int k, ReadOnlySpan<int> exclude)
    {
        var local = context is not null && _byContext.TryGetValue(context, out var ranking) ? Popularity.Take(ranking, k, exclude, []) : [];
        if (local.Length == k) return local;
        // Fill-ups score below every local item, so the list stays ordered by score.
        var floor = local.Length > 0 ? local[^1].Score : 0f;
        var fill = Popularity.Take(_overall, k - local.Length, exclude, local)
            .Select((s, n) => new ScoredItem(s.Item, floor - 1e-3f * (n + 1)));
        return [.. local, .. fill];
    }
}
