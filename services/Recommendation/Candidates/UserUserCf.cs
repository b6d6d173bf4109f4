// User-based CF, Resnick et al. 1994 (GroupLens) / Herlocker et al. 1999: top-N shrunk-cosine neighbours, weighted sum. Recommend O(Σ_{i∈person} |col_i| + Σ_{v∈N} |row_v| + c log k).
namespace Personalization.Recommendation.Candidates;

/// <summary>
/// User-based collaborative filtering (Resnick et al. 1994, GroupLens; Herlocker et al. 1999): the N users most
/// similar to the person by <see cref="ShrunkCosine"/> over their items, and an item's score the similarity-weighted
/// sum of those neighbours' weights for it, Σ_v sim(person, v)·r_vj. Neighbours are found at request time from the
/// person's items, so activity since training counts at once. Fit O(nnz).
/// </summary>
public sealed class UserUserCf(NeighbourhoodOptions? options = null) : ICandidateGenerator
{
    private readonly NeighbourhoodOptions _options = options ?? NeighbourhoodOptions.UserDefault;
    private TrainingData _data = null!;
    private float[] _norms = [];

    public string Name => "user-user";

    public void Fit(TrainingData data)
    {
        _data = data;
        _norms = ShrunkCosine.Norms(data.Matrix.ByUser, _options.BinarySimilarity);
    }

    /// <summary>Nothing to write: neighbours are found at request time from the matrix.</summary>
    public void Save(ModelStateWriter writer) { }

    public void Load(ModelStateReader reader, TrainingData data) => Fit(data);

    /// <summary>The person's most similar users, best first (never their own row).</summary>
    public ScoredItem[] NeighboursOf(Person person) =>
        ShrunkCosine.Nearest(person.Items, person.Values, person.Row, _data.Matrix.ByItem, _norms, _options);

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude)
    {
        var matrix = _data.Matrix;
        using var scores = ScoreBuffer.Rent(matrix.ItemCount);
        foreach (var (neighbour, similarity) in NeighboursOf(person))
        {
            var items = matrix.ItemsOf(neighbour);
            var values = matrix.ValuesOfUser(neighbour);
            for (var n = 0; n < items.Length; n++) scores.Add(items[n], similarity * values[n]);
        }
        return scores.Top(k, exclude);
    }
}
