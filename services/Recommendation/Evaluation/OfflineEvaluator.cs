using System.Diagnostics;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Evaluation;

/// <summary>
/// What the generators are trained and judged on: the training matrix (decay measured from the end of the training
/// period) and, for each user known in training, the items they took up in the test period that they had not had in
/// training; those are what a top-k that excludes training items can find. Test items unknown in training stay
/// relevant (they count in R); only content-based recommendation can reach them, and only when the catalogue lists
/// them (its items join the matrix as empty columns).
/// </summary>
public sealed record EvaluationSetup(
    TrainingData Data,
    int[] Users,
    IReadOnlySet<int>[] Relevant,
    int ColdUsers,
    int RepeatOnlyUsers,
    int UnknownTestItems)
{
    public InteractionMatrix Train => Data.Matrix;

    public static EvaluationSetup Prepare(DataSplit split, InteractionWeighting weighting, IReadOnlyDictionary<string, ItemContent>? catalogue = null)
    {
        var reference = split.Train.Count == 0 ? DateTime.MinValue : split.Train.Max(x => x.Timestamp);
        var data = TrainingData.Build(split.Train, weighting, catalogue, reference);
        var train = data.Matrix;
        var unknownItems = new Dictionary<string, int>(StringComparer.Ordinal);
        var relevantByUser = new SortedDictionary<int, HashSet<int>>();
        var coldUsers = new HashSet<string>(StringComparer.Ordinal);
        var testUsers = new HashSet<int>();
        foreach (var x in split.Test)
        {
            var user = train.UserIndex(x.User);
            if (user < 0)
            {
                coldUsers.Add(x.User);
                continue;
            }
            testUsers.Add(user);
            var item = train.ItemIndex(x.Item);
            if (item < 0)
            {
                if (!unknownItems.TryGetValue(x.Item, out item))
                    item = unknownItems[x.Item] = train.ItemCount + unknownItems.Count;
            }
            else if (train.ItemsOf(user).BinarySearch(item) >= 0)
                continue;
            if (!relevantByUser.TryGetValue(user, out var relevant))
                relevantByUser[user] = relevant = [];
            relevant.Add(item);
        }
        return new EvaluationSetup(data, relevantByUser.Keys.ToArray(), relevantByUser.Values.ToArray<IReadOnlySet<int>>(),
            coldUsers.Count, testUsers.Count - relevantByUser.Count, unknownItems.Count);
    }
}

/// <summary>One generator's row of the evaluation table.</summary>
/// <remarks><see cref="NdcgMargin"/> is the half-width of a normal 95% confidence interval of the mean NDCG over users
/// (1.96 standard errors): differences smaller than it are not evidence.</remarks>
public sealed record EvaluationRow(string Algorithm, int K, double Precision, double Recall, double Ndcg, double Map, double Coverage, TimeSpan TrainingTime,
    double NdcgMargin = 0);

public static class OfflineEvaluator
{
    /// <summary>
    /// Fits the generator on the training matrix (timed), asks it for each evaluated user's top k without the user's
    /// training items, and averages the metrics over the users. Users run in parallel; sums are taken in user order.
    /// </summary>
    public static EvaluationRow Evaluate(ICandidateGenerator generator, EvaluationSetup setup, int k, int parallelism)
    {
        var clock = Stopwatch.StartNew();
        generator.Fit(setup.Data);
        var trainingTime = clock.Elapsed;

        var metrics = new UserMetrics[setup.Users.Length];
        var recommendations = new int[setup.Users.Length][];
        Parallel.For(0, setup.Users.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, n =>
        {
            var user = setup.Users[n];
            var top = generator.Recommend(Person.Of(setup.Train, user), k, setup.Train.ItemsOf(user));
            recommendations[n] = top.Select(s => s.Item).ToArray();
            metrics[n] = RankingMetrics.ForUser(recommendations[n], setup.Relevant[n], k);
        });

        double precision = 0, recall = 0, ndcg = 0, map = 0;
        foreach (var m in metrics)
        {
            precision += m.Precision;
            recall += m.Recall;
            ndcg += m.Ndcg;
            map += m.AveragePrecision;
        }
        var users = Math.Max(1, metrics.Length);
        var meanNdcg = ndcg / users;
        double squares = 0;
        foreach (var m in metrics) squares += (m.Ndcg - meanNdcg) * (m.Ndcg - meanNdcg);
        var margin = metrics.Length < 2 ? 0 : 1.96 * Math.Sqrt(squares / (metrics.Length - 1) / metrics.Length);
        return new EvaluationRow(generator.Name, k, precision / users, recall / users, meanNdcg, map / users,
            RankingMetrics.CatalogueCoverage(recommendations, setup.Train.ItemCount), trainingTime, margin);
    }
}
