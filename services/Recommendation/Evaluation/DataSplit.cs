using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Evaluation;

public enum SplitKind
{
    /// <summary>Everything before a cut-off time trains, everything from it tests (no look-ahead).</summary>
    Temporal,

    /// <summary>Each user's interactions are shuffled and a fraction of each goes to test (stratified by user).</summary>
    RandomPerUser,

    /// <summary>All interactions shuffled together; a fraction goes to test (Microsoft Recommenders' python_random_split).</summary>
    Random,
}

/// <summary>Train and test interactions from one data set; pure and seeded.</summary>
public sealed record DataSplit(IReadOnlyList<Interaction> Train, IReadOnlyList<Interaction> Test, string Description)
{
    /// <summary>
    /// Temporal: the cut-off is <paramref name="testDays"/> before the latest interaction when given, else the time
    /// that leaves <paramref name="testFraction"/> of the interactions after it. Random kinds shuffle with a
    /// <see cref="Random"/> seeded by <paramref name="seed"/>, after putting the input in a stable order.
    /// </summary>
    public static DataSplit Create(IReadOnlyList<Interaction> interactions, SplitKind kind, double testFraction, int seed, double? testDays = null)
    {
        if (testFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), "must be between 0 and 1");
        return kind switch
        {
            SplitKind.Temporal => Temporal(interactions, testFraction, testDays),
            SplitKind.RandomPerUser => RandomPerUser(interactions, testFraction, seed),
            SplitKind.Random => RandomOverall(interactions, testFraction, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static DataSplit Temporal(IReadOnlyList<Interaction> interactions, double testFraction, double? testDays)
    {
        var times = interactions.Select(x => x.Timestamp).Order().ToArray();
        var cutoff = testDays is { } days
            ? times[^1] - TimeSpan.FromDays(days)
            : times[Math.Clamp((int)Math.Round(times.Length * (1 - testFraction)), 0, times.Length - 1)];
        var train = interactions.Where(x => x.Timestamp < cutoff).ToList();
        var test = interactions.Where(x => x.Timestamp >= cutoff).ToList();
        return new DataSplit(train, test, $"temporal, test from {cutoff:yyyy-MM-dd HH:mm}");
    }

    private static DataSplit RandomPerUser(IReadOnlyList<Interaction> interactions, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<Interaction>();
        var test = new List<Interaction>();
        foreach (var group in interactions.GroupBy(x => x.User, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var own = group.ToArray();
            random.Shuffle(own);
            var testCount = (int)Math.Round(own.Length * testFraction);
            test.AddRange(own.Take(testCount));
            train.AddRange(own.Skip(testCount));
        }
        return new DataSplit(train, test, $"random per user, {testFraction * 100:0.#}% of each user's interactions to test, seed {seed}");
    }

    private static DataSplit RandomOverall(IReadOnlyList<Interaction> interactions, double testFraction, int seed)
    {
        var all = interactions.ToArray();
        new Random(seed).Shuffle(all);
        var testCount = (int)Math.Round(all.Length * testFraction);
        return new DataSplit(all[testCount..], all[..testCount], $"random, {testFraction * 100:0.#}% of all interactions to test, seed {seed}");
    }
}
