// Item-based CF with shrunk cosine, Sarwar et al. 2001 / Deshpande & Karypis 2004, shrinkage after Koren 2008. Fit O(Σ_u |row_u|² + n·K log K), Recommend O(|person|·K + c log k).
namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Item-based collaborative filtering (Sarwar, Karypis, Konstan &amp; Riedl 2001; Deshpande &amp; Karypis 2004): each
/// item keeps its top-K neighbours by <see cref="ShrunkCosine"/> over who had it (0/1 by default); a person's score
/// for j is Σ_{i ∈ person} r_i · sim(i, j). Neighbour lists are computed in parallel over items.
/// </summary>
public sealed class ItemItemCf(NeighbourhoodOptions? options = null) : ICandidateGenerator, IItemScorer
{
    private readonly NeighbourhoodOptions _options = options ?? NeighbourhoodOptions.ItemDefault;

    public string Name => "item-item";

    public ItemNeighbours Neighbours { get; private set; } = ItemNeighbours.Empty;

    public void Fit(TrainingData data)
    {
        var matrix = data.Matrix;
        var norms = ShrunkCosine.Norms(matrix.ByItem, _options.BinarySimilarity);
        var lists = new ScoredItem[matrix.ItemCount][];
        Parallel.For(0, matrix.ItemCount, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, item =>
            lists[item] = ShrunkCosine.Nearest(matrix.UsersOf(item), matrix.ValuesOfItem(item), item, matrix.ByUser, norms, _options));
        Neighbours = ItemNeighbours.From(lists);
    }

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude) => Neighbours.Recommend(person, k, exclude);

    public void Score(Person person, ReadOnlySpan<int> items, Span<float> scores) => Neighbours.Score(person, items, scores);

    public void Save(ModelStateWriter writer) => Neighbours.Save(writer);

    public void Load(ModelStateReader reader, TrainingData data) => Neighbours = ItemNeighbours.Load(reader);
}
