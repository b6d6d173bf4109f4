// LambdaRank/LambdaMART hybrid, Burges 2010, on LightGBM (Ke et al. 2017) through ML.NET. Fit O(2 × generator fits + trees · rows · features); Recommend O(candidates · trees).
using System.Buffers;
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
/// generators are refitted on the whole training data for serving. Everything comes from the <see cref="TrainingData"/>
/// given to <see cref="Fit"/>: its history for the split and the features, its weighting and catalogue for the inner
/// matrices. Fit O(generators' fits × 2 + LightGBM on users × candidates rows); Recommend O(generators + candidates × trees).
/// </summary>
public sealed class HybridRecommender(Func<ICandidateGenerator[]> createGenerators, HybridRecommender.Options? options = null) : ICandidateGenerator
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
    private readonly MLContext _ml = new(options?.Seed ?? 42);
    private ICandidateGenerator[] _generators = [];
    private RankingFeatures _features = null!;
    private ITransformer _ranker = null!;
    private DataViewSchema _inputSchema = null!;
    private RankerTrees _trees = null!;

    public string Name => "hybrid";

    /// <summary>Rows the ranker learned from, and how many of them were positive.</summary>
    public (int Rows, int Positives, int Users) TrainingSet { get; private set; }

    /// <summary>
    /// Fits every candidate source on the ranker's inner data. A source that refuses the data (EASE above its item
    /// limit) is left out, here and in the refit, so a large catalogue costs the hybrid one source, not the model.
    /// </summary>
    private ICandidateGenerator[] FitSources(TrainingData inner)
    {
        var fitted = new List<ICandidateGenerator>();
        foreach (var generator in createGenerators())
        {
            try
            {
                generator.Fit(inner);
                fitted.Add(generator);
            }
            catch (InvalidOperationException ex)
            {
                Skipped.Add($"{generator.Name}: {ex.Message}");
            }
        }
        return [.. fitted];
    }

    private string[] _sources = [];

    /// <summary>Candidate sources left out because they refused the data, with their reasons.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>The generators fitted on the whole training data, whose candidates the ranker orders.</summary>
    public IReadOnlyList<ICandidateGenerator> Generators => _generators;

    public void Fit(TrainingData data)
    {
        Skipped.Clear();
        var history = data.History;
        if (history.Count == 0) throw new InvalidOperationException("the ranker needs history to learn from: the training data has none");
        var end = history.Max(x => x.Timestamp);
        if (_options.LabelSplit == SplitKind.Temporal)
        {
            var cutoff = end - TimeSpan.FromDays(_options.LabelDays);
            var early = history.Where(x => x.Timestamp < cutoff).ToList();
            if (early.Count == 0 || early.Count == history.Count)
                throw new InvalidOperationException(
                    $"the ranker needs history both before and within its last {_options.LabelDays} days (from {cutoff:yyyy-MM-dd}) to learn from");
            TrainRanker(data, early, history.Where(x => x.Timestamp >= cutoff), cutoff);
        }
        else
        {
            var split = DataSplit.Create(history, _options.LabelSplit, _options.LabelFraction, _options.Seed);
            TrainRanker(data, split.Train, split.Test, split.Train.Max(x => x.Timestamp).AddTicks(1));
        }

        _generators = [.. createGenerators().Where(g => _sources.Contains(g.Name))];
        foreach (var generator in _generators) generator.Fit(data);
        _features = RankingFeatures.From(history, data.Matrix, data.Catalogue, end.AddTicks(1));
        FeatureProfiles = ProfileFeatures(data.Matrix);
    }

    /// <summary>People whose candidates make the features' profile at training.</summary>
    private const int ProfiledUsers = 300;

    /// <summary>How the ranker's features were spread over trained people's candidates when it was fitted: the reference its live inputs are checked against for drift.</summary>
    public IReadOnlyList<FeatureProfile> FeatureProfiles { get; private set; } = [];

    /// <summary>The names of the ranker's features, in row order.</summary>
    public IReadOnlyList<string> FeatureNames =>
        [.. _generators.SelectMany(g => new[] { $"{g.Name}.score", $"{g.Name}.reciprocalRank" }).Concat(RankingFeatures.Names)];

    private List<FeatureProfile> ProfileFeatures(InteractionMatrix matrix)
    {
        var users = Enumerable.Range(0, matrix.UserCount).ToArray();
        new Random(_options.Seed).Shuffle(users);
        var columns = FeatureNames.Select(_ => new List<float>()).ToArray();
        foreach (var user in users.Take(ProfiledUsers))
        {
            var candidates = Candidates(_generators, _features, Person.Of(matrix, user), matrix.ItemsOf(user), matrix.ItemCount);
            for (var n = 0; n < candidates.Count; n++)
            {
                var row = candidates.Row(n);
                for (var f = 0; f < columns.Length; f++) columns[f].Add(row[f]);
            }
        }
        return [.. FeatureNames.Select((name, f) => FeatureProfile.Of(name, columns[f]))];
    }

    private const int LiveRowsKept = 5_000, LiveRowsPerRequest = 4;
    private readonly Queue<float[]> _liveRows = new();
    private readonly Random _liveSampler = new(7);

    /// <summary>A sample of the rows the ranker scored lately on this replica (a few per request, the latest kept): its live inputs.</summary>
    public IReadOnlyList<float[]> LiveRows()
    {
        lock (_liveRows) return [.. _liveRows];
    }

    private void KeepLiveRows(CandidateRows candidates)
    {
        lock (_liveRows)
            for (var taken = 0; taken < Math.Min(LiveRowsPerRequest, candidates.Count); taken++)
            {
                _liveRows.Enqueue(candidates.Row(_liveSampler.Next(candidates.Count)).ToArray());
                if (_liveRows.Count > LiveRowsKept) _liveRows.Dequeue();
            }
    }

    /// <param name="now">When the features are taken: the start of the label period, or after the feature history.</param>
    private void TrainRanker(TrainingData data, IReadOnlyList<Interaction> early, IEnumerable<Interaction> later, DateTime now)
    {
        var inner = TrainingData.Build(early, data.Weighting, data.Catalogue, early.Max(x => x.Timestamp));
        var matrix = inner.Matrix;
        var generators = FitSources(inner);
        _sources = [.. generators.Select(g => g.Name)];
        var features = RankingFeatures.From(early, matrix, data.Catalogue, now);

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
            var candidates = Candidates(generators, features, Person.Of(matrix, user), matrix.ItemsOf(user).ToArray(), matrix.ItemCount);
            var all = Enumerable.Range(0, candidates.Count);
            var positive = all.Where(n => taken.Contains(candidates.Items[n])).ToList();
            if (positive.Count == 0) continue;
            var negative = all.Where(n => !taken.Contains(candidates.Items[n])).ToArray();
            random.Shuffle(negative);
            users++;
            positives += positive.Count;
            rows.AddRange(positive.Select(n => new RankRow { Label = 1, Group = (uint)user, Features = candidates.Row(n).ToArray() }));
            rows.AddRange(negative.Take(_options.NegativesPerUser).Select(n => new RankRow { Label = 0, Group = (uint)user, Features = candidates.Row(n).ToArray() }));
        }
        TrainingSet = (rows.Count, positives, users);
        // Fewer rows than two leaves make LightGBM grow stumps that ML.NET cannot load.
        if (positives == 0 || rows.Count < 2 * _options.MinimumRowsPerLeaf)
            throw new InvalidOperationException(
                $"the ranker needs history to learn from: its label part gave {rows.Count} candidate rows ({positives} taken up), fewer than two leaves of {_options.MinimumRowsPerLeaf}");

        var view = _ml.Data.LoadFromEnumerable(rows, Schema(generators.Length));
        _inputSchema = view.Schema;
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
        UseRanker(_ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(RankRow.Group)).Append(trainer).Fit(view));
    }

    private static SchemaDefinition Schema(int generators)
    {
        var schema = SchemaDefinition.Create(typeof(RankRow));
        schema[nameof(RankRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single,
            2 * generators + RankingFeatures.ItemAndUserFeatureCount);
        return schema;
    }

    private void UseRanker(ITransformer ranker)
    {
        _ranker = ranker;
        _trees = RankerTrees.From(ranker);
    }

    /// <summary>Each generator's state in order, the features, then the ranker as ML.NET's own model archive.</summary>
    public void Save(ModelStateWriter writer)
    {
        writer.Write(_generators.Length);
        foreach (var generator in _generators)
        {
            writer.Write(generator.Name);
            generator.Save(writer);
        }
        _features.Save(writer);
        using var ranker = new MemoryStream();
        _ml.Model.Save(_ranker, _inputSchema, ranker);
        writer.Write(ranker.ToArray());
    }

    public void Load(ModelStateReader reader, TrainingData data)
    {
        var available = createGenerators();
        var generators = new List<ICandidateGenerator>();
        for (var count = reader.ReadInt(); generators.Count < count;)
        {
            var name = reader.ReadString();
            var generator = available.FirstOrDefault(g => g.Name == name)
                ?? throw new InvalidDataException($"the saved hybrid has a candidate source '{name}' that these settings do not give");
            generator.Load(reader, data);
            generators.Add(generator);
        }
        _generators = [.. generators];
        _sources = [.. generators.Select(g => g.Name)];
        _features = RankingFeatures.Load(reader, data.Matrix);
        using var ranker = new MemoryStream(reader.ReadBytes());
        UseRanker(_ml.Model.Load(ranker, out _inputSchema));
    }

    /// <summary>
    /// The union of the generators' lists for the person, in order of first listing, each candidate with its features:
    /// each generator's score (when the item is not in its list, the score of a generator that scores any item, else
    /// NaN) and reciprocal rank (0 when absent), then the item's and the person's features. One block of features
    /// for all candidates, and who proposed an item read back from its reciprocal ranks, keep a request's allocations
    /// to a few arrays.
    /// </summary>
    private CandidateRows Candidates(ICandidateGenerator[] generators, RankingFeatures features, Person person, ReadOnlySpan<int> exclude, int itemCount)
    {
        var lists = new ScoredItem[generators.Length][];
        for (var g = 0; g < generators.Length; g++) lists[g] = generators[g].Recommend(person, _options.CandidatesPerGenerator, exclude);
        var slots = ArrayPool<int>.Shared.Rent(itemCount);
        var items = new List<int>();
        foreach (var list in lists)
            foreach (var (item, _) in list)
                if (!Listed(item))
                {
                    slots[item] = items.Count;
                    items.Add(item);
                }
        // A rented array holds anything: an item is listed when its slot points back at it (a sparse set, no clearing).
        bool Listed(int item) => (uint)slots[item] < (uint)items.Count && items[slots[item]] == item;

        var width = 2 * generators.Length + RankingFeatures.ItemAndUserFeatureCount;
        var rows = new CandidateRows([.. items], new float[items.Count * width], width);
        var dense = new float[items.Count];
        for (var g = 0; g < generators.Length; g++)
        {
            if (generators[g] is IItemScorer scorer) scorer.Score(person, rows.Items, dense);
            else Array.Fill(dense, float.NaN);
            for (var n = 0; n < dense.Length; n++) rows.Features[n * width + 2 * g] = dense[n];
            for (var rank = 0; rank < lists[g].Length; rank++)
            {
                var at = slots[lists[g][rank].Item] * width + 2 * g;
                rows.Features[at] = lists[g][rank].Score;
                rows.Features[at + 1] = 1f / (rank + 1);
            }
        }
        ArrayPool<int>.Shared.Return(slots);
        for (var n = 0; n < rows.Count; n++)
            features.Write(person, rows.Items[n], rows.Features.AsSpan(n * width + 2 * generators.Length, RankingFeatures.ItemAndUserFeatureCount));
        return rows;
    }

    /// <summary>Candidates and their features, <see cref="Width"/> floats a candidate, end to end.</summary>
    private sealed record CandidateRows(int[] Items, float[] Features, int Width)
    {
        public int Count => Items.Length;

        public ReadOnlySpan<float> Row(int n) => Features.AsSpan(n * Width, Width);

        /// <summary>The rank (0 = first) a generator gave a candidate, from its reciprocal rank, or -1 when it did not list it.</summary>
        public int RankBy(int n, int generator) => Features[n * Width + 2 * generator + 1] is > 0 and var reciprocal ? (int)MathF.Round(1f / reciprocal) - 1 : -1;
    }

    /// <summary>A ranked item and the generators that proposed it, the one that ranked it highest first.</summary>
    public sealed record RankedItem(int Item, float Score, IReadOnlyList<string> ProposedBy);

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude) =>
        [.. Rank(person, k, exclude).Select(r => new ScoredItem(r.Item, r.Score))];

    /// <summary>
    /// The top k of the candidates, with who proposed each. The ranker orders them for a person with a training
    /// row; its person features describe trained users only, and for anyone else (new, a product page, a cart) it
    /// falls back on item popularity, so those are ordered by reciprocal rank fusion of the generators' lists
    /// (Cormack, Clarke &amp; Büttcher 2009: Σ 1 / (60 + rank)).
    /// </summary>
    public RankedItem[] Rank(Person person, int k, ReadOnlySpan<int> exclude)
    {
        var candidates = Candidates(_generators, _features, person, exclude, _features.ItemCount);
        var scores = new float[candidates.Count];
        if (person.Row >= 0)
        {
            _trees.Score(candidates.Features, candidates.Width, scores);
            KeepLiveRows(candidates);
        }
        else
            for (var n = 0; n < scores.Length; n++)
                for (var g = 0; g < _generators.Length; g++)
                    if (candidates.RankBy(n, g) is >= 0 and var rank) scores[n] += 1f / (FusionRankOffset + rank + 1);
        string[] ProposedBy(int n) =>
            [.. Enumerable.Range(0, _generators.Length).Where(g => candidates.RankBy(n, g) >= 0).OrderBy(g => candidates.RankBy(n, g)).Select(g => _generators[g].Name)];
        return [.. Enumerable.Range(0, candidates.Count).OrderByDescending(n => scores[n]).ThenBy(n => candidates.Items[n]).Take(k)
            .Select(n => new RankedItem(candidates.Items[n], scores[n], ProposedBy(n)))];
    }

    private const float FusionRankOffset = 60;

    /// <summary>One feature of the ranker and how much it moved an item's score.</summary>
    public sealed record FeatureContribution(string Feature, double Value);

    /// <summary>
    /// The ranker's feature contributions (<see cref="RankerContributions"/>) to each of <paramref name="items"/> it
    /// scored for the person, largest first; none for items it did not propose, or for someone without a training
    /// row, whom the ranker does not order.
    /// </summary>
    public IReadOnlyDictionary<int, IReadOnlyList<FeatureContribution>> Explain(Person person, IReadOnlyCollection<int> items, ReadOnlySpan<int> exclude)
    {
        if (person.Row < 0 || items.Count == 0) return new Dictionary<int, IReadOnlyList<FeatureContribution>>();
        var candidates = Candidates(_generators, _features, person, exclude, _features.ItemCount);
        var rows = Enumerable.Range(0, candidates.Count).Where(n => items.Contains(candidates.Items[n])).ToList();
        if (rows.Count == 0) return new Dictionary<int, IReadOnlyList<FeatureContribution>>();
        var names = FeatureNames;
        var contributions = RankerContributions.Of(_ml, _ranker, [.. rows.SelectMany(n => candidates.Row(n).ToArray())], candidates.Width);
        return rows.Select((n, r) => (Item: candidates.Items[n], Contributions: (IReadOnlyList<FeatureContribution>)[.. contributions[r]
                .Select((value, f) => new FeatureContribution(names[f], Math.Round(value, 6)))
                .Where(c => c.Value != 0).OrderByDescending(c => Math.Abs(c.Value))]))
            .ToDictionary(e => e.Item, e => e.Contributions);
    }

    private sealed class RankRow
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        public float[] Features { get; set; } = [];
    }
}
