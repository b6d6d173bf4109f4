// LambdaRank/LambdaMART hybrid, Burges 2010, on LightGBM (Ke et al. 2017) through ML.NET. Fit O(2 × generator fits + trees · rows · features); Recommend O(candidates · trees).
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Evaluation;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Ranking;

/// <summary>
/// Hybrid: LambdaRank gradient-boosted trees (Burges 2010, "From RankNet to LambdaRank to LambdaMART"; LightGBM, Ke et
/// al. 2017) reorder the union of the generators' top candidates, from each generator's score and rank, item
/// popularity, recency and price, and the user's RFM. The ranker learns on a split of the history it is given:
/// by default temporal, so no label is ever older than its features (generators and features from everything before
/// the last <see cref="Options.LabelDays"/> days, labels, 1 = the user took the item up, from those days); for
/// random evaluation protocols the same random split inside the history (<see cref="Options.LabelSplit"/>). Then the
/// generators are refitted on the whole history for serving. A user unknown to the history gets context popularity.
/// Fit O(generators' fits × 2 + LightGBM on users × candidates rows); Recommend O(generators + candidates × trees).
/// </summary>
public sealed class HybridRecommender(
    IReadOnlyList<Interaction> history,
    Func<ICandidateGenerator[]> createGenerators,
    IReadOnlyDictionary<string, ItemContent>? catalogue = null,
    HybridRecommender.Options? options = null) : ICandidateGenerator
{
    /// <summary>Defaults chosen on the Online Retail validation period (see the service README), never on its test month.</summary>
    public sealed record Options
    {
        public static readonly Options Default = new();

        /// <summary>How many candidates each generator proposes.</summary>
        public int CandidatesPerGenerator { get; init; } = 100;

        /// <summary>The ranker's label period with a temporal <see cref="LabelSplit"/>: the last days of the history.</summary>
        public double LabelDays { get; init; } = 30;

        /// <summary>How the history is split into the ranker's features and labels; match it to the evaluation's split.</summary>
        public SplitKind LabelSplit { get; init; } = SplitKind.Temporal;

        /// <summary>The share of the history that labels, with a random <see cref="LabelSplit"/>.</summary>
        public double LabelFraction { get; init; } = 0.25;

        public InteractionWeighting Weighting { get; init; } = new();
        /// <summary>Negative candidates kept per user for training the ranker.</summary>
        public int NegativesPerUser { get; init; } = 50;

        public int Trees { get; init; } = 200;
        public int Leaves { get; init; } = 7;
        public double LearningRate { get; init; } = 0.03;
        public int MinimumRowsPerLeaf { get; init; } = 200;
        public int Seed { get; init; } = 42;
        public int Threads { get; init; } = Environment.ProcessorCount;
    }

    private readonly Options _options = options ?? new Options();
    private readonly IReadOnlyDictionary<string, ItemContent> _catalogue = catalogue ?? new Dictionary<string, ItemContent>();
    private readonly MLContext _ml = new(options?.Seed ?? 42);
    private ICandidateGenerator[] _generators = [];
    private InteractionMatrix _interactions = null!;
    private RankingFeatures _features = null!;
    private ITransformer _ranker = null!;
    private SchemaDefinition _schema = null!;
    private ThreadLocal<PredictionEngine<RankRow, RankScore>> _engines = null!;

    public string Name => "hybrid";

    /// <summary>Rows the ranker learned from, and how many of them were positive.</summary>
    public (int Rows, int Positives, int Users) TrainingSet { get; private set; }

    public void Fit(InteractionMatrix interactions)
    {
        var end = history.Max(x => x.Timestamp);
        if (_options.LabelSplit == SplitKind.Temporal)
        {
            var cutoff = end - TimeSpan.FromDays(_options.LabelDays);
            var early = history.Where(x => x.Timestamp < cutoff).ToList();
            if (early.Count == 0 || early.Count == history.Count)
                throw new InvalidOperationException(
                    $"the ranker needs history both before and within its last {_options.LabelDays} days (from {cutoff:yyyy-MM-dd}) to learn from");
            TrainRanker(early, history.Where(x => x.Timestamp >= cutoff), cutoff);
        }
        else
        {
            var split = DataSplit.Create(history, _options.LabelSplit, _options.LabelFraction, _options.Seed);
            TrainRanker(split.Train, split.Test, split.Train.Max(x => x.Timestamp).AddTicks(1));
        }

        _interactions = interactions;
        _generators = createGenerators();
        foreach (var generator in _generators) generator.Fit(interactions);
        _features = RankingFeatures.From(history, interactions, _catalogue, end.AddTicks(1));
    }

    /// <param name="now">When the features are taken: the start of the label period, or after the feature history.</param>
    private void TrainRanker(IReadOnlyList<Interaction> early, IEnumerable<Interaction> later, DateTime now)
    {
        var matrix = InteractionMatrix.Build(early, _options.Weighting, early.Max(x => x.Timestamp), _catalogue.Keys);
        var generators = createGenerators();
        foreach (var generator in generators) generator.Fit(matrix);
        var features = RankingFeatures.From(early, matrix, _catalogue, now);

        var labels = new SortedDictionary<int, HashSet<int>>();
        foreach (var x in later)
        {
            var user = matrix.UserIndex(x.User);
            var item = matrix.ItemIndex(x.Item);
            if (user < 0 || item < 0 || matrix.ItemsOf(user).BinarySearch(item) >= 0) continue;
            if (!labels.TryGetValue(user, out var items)) labels[user] = items = [];
            items.Add(item);
        }

        // A user none of whose candidates was taken up teaches LambdaRank nothing (no pair to order), and most
        // candidates are negatives: keep every positive and a seeded sample of the negatives, which makes training
        // several times faster at no cost in validation NDCG.
        var random = new Random(_options.Seed);
        var rows = new List<RankRow>();
        var positives = 0;
        var users = 0;
        foreach (var (user, taken) in labels)
        {
            var candidates = Candidates(generators, features, matrix, user).ToList();
            var positive = candidates.Where(c => taken.Contains(c.Item)).ToList();
            if (positive.Count == 0) continue;
            var negative = candidates.Where(c => !taken.Contains(c.Item)).ToArray();
            random.Shuffle(negative);
            users++;
            positives += positive.Count;
            rows.AddRange(positive.Select(c => new RankRow { Label = 1, Group = (uint)user, Features = c.Features }));
            rows.AddRange(negative.Take(_options.NegativesPerUser).Select(c => new RankRow { Label = 0, Group = (uint)user, Features = c.Features }));
        }
        TrainingSet = (rows.Count, positives, users);
        // Fewer rows than two leaves make LightGBM grow stumps that ML.NET cannot load.
        if (positives == 0 || rows.Count < 2 * _options.MinimumRowsPerLeaf)
            throw new InvalidOperationException(
                $"the ranker needs history to learn from: its label part gave {rows.Count} candidate rows ({positives} taken up), fewer than two leaves of {_options.MinimumRowsPerLeaf}");

        _schema = SchemaDefinition.Create(typeof(RankRow));
        _schema[nameof(RankRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single,
            2 * generators.Length + RankingFeatures.ItemAndUserFeatureCount);
        var data = _ml.Data.LoadFromEnumerable(rows, _schema);
        var trainer = _ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(RankRow.Label),
            FeatureColumnName = nameof(RankRow.Features),
            RowGroupColumnName = "GroupKey",
            NumberOfIterations = _options.Trees,
            NumberOfLeaves = _options.Leaves,
            LearningRate = _options.LearningRate,
            MinimumExampleCountPerLeaf = _options.MinimumRowsPerLeaf,
            Seed = _options.Seed,
            NumberOfThreads = _options.Threads,
            Silent = true,
        });
        _ranker = _ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(RankRow.Group)).Append(trainer).Fit(data);
        _engines = new ThreadLocal<PredictionEngine<RankRow, RankScore>>(
            () => _ml.Model.CreatePredictionEngine<RankRow, RankScore>(_ranker, inputSchemaDefinition: _schema));
    }

    /// <summary>The union of the generators' lists for the user (without their items), each with its features.</summary>
    private IEnumerable<(int Item, float[] Features)> Candidates(ICandidateGenerator[] generators, RankingFeatures features,
        InteractionMatrix matrix, int user)
    {
        var exclude = matrix.ItemsOf(user).ToArray();
        var lists = generators.Select(g => g.Recommend(user, _options.CandidatesPerGenerator, exclude)).ToArray();
        var ranks = lists.Select(list => list.Select((s, rank) => (s.Item, Entry: (rank, s.Score))).ToDictionary(e => e.Item, e => e.Entry)).ToArray();
        var seen = new HashSet<int>();
        foreach (var list in lists)
            foreach (var (item, _) in list)
            {
                if (!seen.Add(item)) continue;
                var vector = new float[2 * generators.Length + RankingFeatures.ItemAndUserFeatureCount];
                features.Write(user, item, generators, ranks, vector);
                yield return (item, vector);
            }
    }

    public ScoredItem[] Recommend(int user, int k, ReadOnlySpan<int> exclude)
    {
        var excluded = exclude.ToArray();
        var engine = _engines.Value!;
        var scored = new List<ScoredItem>();
        foreach (var (item, vector) in Candidates(_generators, _features, _interactions, user))
        {
            if (Array.IndexOf(excluded, item) >= 0) continue;
            scored.Add(new ScoredItem(item, engine.Predict(new RankRow { Features = vector }).Score));
        }
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Item).Take(k).ToArray();
    }

    /// <summary>Cold start: a user with no history, known only by context (country, device), gets context popularity.</summary>
    public ScoredItem[] RecommendForNewUser(string? context, int k) =>
        _generators.OfType<ContextPopularity>().FirstOrDefault() is { } byContext
            ? byContext.RecommendFor(context, k, [])
            : _generators.OfType<Popularity>().First().Recommend(-1, k, []);

    private sealed class RankRow
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class RankScore
    {
        public float Score { get; set; }
    }
}
