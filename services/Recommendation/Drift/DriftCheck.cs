using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Drift;

/// <summary>The version's live CTR, by ADWIN over its impressions in time order: whether it changed, from what, to what.</summary>
public sealed record CtrDrift(long Impressions, bool Detected, bool Fell, double? Before, double Now);

/// <summary>How far the ranker's live inputs spread from its training profile: the feature that moved most, and each feature's index.</summary>
public sealed record RankerDrift(long Rows, double? Index, string? Feature, bool Detected, IReadOnlyDictionary<string, double> Features);

/// <summary>How far recent interactions spread over the training popularity deciles (and items new to the model) from how training did.</summary>
public sealed record PopularityDrift(long Interactions, double? Index, bool Detected, IReadOnlyList<double> Expected, IReadOnlyList<double> Actual);

/// <summary>
/// The checks of a served model version: (a) its live CTR against its own earlier days, by ADWIN over the
/// clicked-or-not outcome of each impression; (b) its inputs against the training data by the population stability
/// index: what people interact with now, over bins of items by training popularity (ten of equal training mass,
/// and one for items the model does not know), and for a hybrid each of its ranker's features.
/// </summary>
public static class DriftCheck
{
    public const int PopularityBins = 10;

    public static CtrDrift Ctr(IEnumerable<bool> clicked, double delta)
    {
        var adwin = new Adwin(delta);
        long seen = 0;
        double? before = null;
        var fell = false;
        foreach (var outcome in clicked)
        {
            var (width, mean) = (adwin.Width, adwin.Mean);
            var value = outcome ? 1 : 0;
            seen++;
            if (!adwin.Add(value)) continue;
            // The part dropped is the older one: its mean is what the CTR was.
            var dropped = width + 1 - adwin.Width;
            before = (mean * width + value - adwin.Mean * adwin.Width) / dropped;
            fell = adwin.Mean < before;
        }
        return new CtrDrift(seen, before is not null, fell, before, adwin.Mean);
    }

    /// <param name="trainingWeights">Each item's interaction mass in training (the served model's popularity), by item index.</param>
    /// <param name="recent">The items of recent interactions, as indexes of the model (negative: unknown to it).</param>
    public static PopularityDrift Popularity(IReadOnlyList<float> trainingWeights, IReadOnlyList<int> recent, double threshold, int minimum)
    {
        var bins = BinsByMass(trainingWeights);
        var expected = new double[PopularityBins + 1];
        for (var item = 0; item < trainingWeights.Count; item++) expected[bins[item]] += trainingWeights[item];
        var actual = new double[PopularityBins + 1];
        foreach (var item in recent) actual[item >= 0 && item < bins.Length ? bins[item] : PopularityBins]++;
        var total = expected.Sum();
        var shares = expected.Select(e => total > 0 ? e / total : 0).ToArray();
        var actualShares = actual.Select(a => recent.Count > 0 ? a / recent.Count : 0).ToArray();
        if (recent.Count < minimum || total <= 0) return new PopularityDrift(recent.Count, null, false, shares, actualShares);
        var index = PopulationStability.Index(expected, actual);
        return new PopularityDrift(recent.Count, Math.Round(index, 6), index > threshold, shares, actualShares);
    }

    /// <summary>The population stability index of each ranker feature's live values against its training profile; the largest decides.</summary>
    public static RankerDrift Ranker(IReadOnlyList<FeatureProfile> profiles, IReadOnlyList<string> names, IReadOnlyList<float[]> rows, double threshold, int minimum)
    {
        var indexes = new Dictionary<string, double>();
        var columns = names.Select((name, column) => (name, column)).ToDictionary(n => n.name, n => n.column);
        if (rows.Count >= minimum)
            foreach (var profile in profiles)
            {
                var column = columns.GetValueOrDefault(profile.Feature, -1);
                if (column < 0 || profile.Counts.Sum() == 0) continue;
                indexes[profile.Feature] = Math.Round(PopulationStability.Index(profile.Counts, profile.CountsOf([.. rows.Select(r => r[column])])), 6);
            }
        if (indexes.Count == 0) return new RankerDrift(rows.Count, null, null, false, indexes);
        var (feature, index) = indexes.MaxBy(i => i.Value);
        return new RankerDrift(rows.Count, index, feature, index > threshold, indexes);
    }

    /// <summary>Each item's bin: items from most to least popular, cut where each bin has a tenth of the training mass.</summary>
    private static int[] BinsByMass(IReadOnlyList<float> weights)
    {
        var bins = new int[weights.Count];
        var total = weights.Sum(w => (double)w);
        double reached = 0;
        foreach (var item in Enumerable.Range(0, weights.Count).OrderByDescending(i => weights[i]).ThenBy(i => i))
        {
            bins[item] = total > 0 ? Math.Min(PopularityBins - 1, (int)(reached / total * PopularityBins)) : 0;
            reached += weights[item];
        }
        return bins;
    }
}
