// Gradient-boosted trees scored by QuickScorer (Lucchese et al., SIGIR 2015): O(rows · (false nodes + trees)), no walks down trees.
using System.Numerics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Personalization.Recommendation.Ranking;

/// <summary>
/// The ranker's trees, taken out of ML.NET's model into flat arrays so serving scores candidates directly: ML.NET's
/// prediction engine costs several microseconds of per-row set-up for what is a few hundred comparisons, and a
/// request scores hundreds of candidates. Same arithmetic as ML.NET's: at each node, go left when the feature is at
/// most the threshold, a missing value (NaN) counting as the node's value for missing (LightGBM's default
/// direction); the score is the bias plus each tree's weight times the leaf reached.
/// <para>
/// Walking a tree is a chain of dependent loads and unpredictable branches. QuickScorer (Lucchese, Nardini,
/// Orlando, Perego, Tonellotto &amp; Venturini, SIGIR 2015) walks none: each tree's leaves, left to right, are bits of
/// a mask that starts full; every node whose test sends the row right clears the bits of its left subtree's leaves,
/// and the leaf reached is the leftmost bit left. The nodes are kept by feature in order of threshold, so a row's
/// right-going nodes on a feature are a prefix of that feature's list: a short loop of AND instructions per feature.
/// </para>
/// </summary>
public sealed class RankerTrees
{
    // Nodes grouped by feature (feature f's are _starts[f] until _starts[f + 1]), by threshold within a feature.
    private readonly int[] _starts;
    private readonly float[] _thresholds;
    private readonly int[] _trees;
    private readonly ulong[] _masks;
    // Per feature, the nodes a missing value sends right (those of _missingStarts[f] until _missingStarts[f + 1]).
    private readonly int[] _missingStarts;
    private readonly int[] _missingTrees;
    private readonly ulong[] _missingMasks;
    // Each tree's leaves left to right from _leafStarts[tree], each already times its tree's weight.
    private readonly int[] _leafStarts;
    private readonly double[] _leaves;
    private readonly double _bias;

    private RankerTrees(List<(int Feature, float Threshold, bool MissingGoesRight, int Tree, ulong Mask)> nodes, int[] leafStarts, double[] leaves, double bias)
    {
        var features = nodes.Count == 0 ? 0 : nodes.Max(n => n.Feature) + 1;
        var sorted = nodes.OrderBy(n => n.Feature).ThenBy(n => n.Threshold).ToArray();
        _starts = Starts(sorted.Select(n => n.Feature), features);
        _thresholds = [.. sorted.Select(n => n.Threshold)];
        _trees = [.. sorted.Select(n => n.Tree)];
        _masks = [.. sorted.Select(n => n.Mask)];
        var missing = sorted.Where(n => n.MissingGoesRight).ToArray();
        _missingStarts = Starts(missing.Select(n => n.Feature), features);
        _missingTrees = [.. missing.Select(n => n.Tree)];
        _missingMasks = [.. missing.Select(n => n.Mask)];
        (_leafStarts, _leaves, _bias) = (leafStarts, leaves, bias);
    }

    private static int[] Starts(IEnumerable<int> sortedFeatures, int features)
    {
        var starts = new int[features + 1];
        foreach (var feature in sortedFeatures) starts[feature + 1]++;
        for (var f = 0; f < features; f++) starts[f + 1] += starts[f];
        return starts;
    }

    /// <summary>The trees of a fitted LightGBM ranking pipeline (its last step); numerical splits only, as the ranker's features are.</summary>
    public static RankerTrees From(ITransformer ranker)
    {
        var last = ranker;
        while (last is IEnumerable<ITransformer> chain) last = chain.Last();
        var model = (last as ISingleFeaturePredictionTransformer<object>)?.Model as LightGbmRankingModelParameters
            ?? throw new InvalidDataException($"the ranker is a {last.GetType().Name}, not LightGBM ranking trees");
        var ensemble = model.TrainedTreeEnsemble;
        var nodes = new List<(int, float, bool, int, ulong)>();
        var (leafStarts, leaves) = (new int[ensemble.Trees.Count], new List<double>());
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(f => f)) throw new InvalidDataException("the ranker has a categorical split, which its features never need");
            if (tree.NumberOfLeaves > 64) throw new InvalidDataException($"a tree of the ranker has {tree.NumberOfLeaves} leaves, more than the 64 a mask holds");
            leafStarts[t] = leaves.Count;
            var missing = MissingValues(tree);
            // Leaves in left-to-right order; each node's mask clears those of its left subtree.
            (int First, int End) Visit(int child)
            {
                if (child < 0)
                {
                    leaves.Add(ensemble.TreeWeights[t] * tree.LeafValues[~child]);
                    return (leaves.Count - 1 - leafStarts[t], leaves.Count - leafStarts[t]);
                }
                var (first, middle) = Visit(tree.LeftChild[child]);
                var (_, end) = Visit(tree.RightChild[child]);
                var left = (middle - first == 64 ? ulong.MaxValue : (1UL << (middle - first)) - 1) << first;
                var threshold = tree.NumericalSplitThresholds[child];
                // NaN counts as the node's value for missing; where there is none it stays NaN, and NaN ≤ x is false: right.
                var missingGoesRight = missing is null || !(missing[child] <= threshold);
                nodes.Add((tree.NumericalSplitFeatureIndexes[child], threshold, missingGoesRight, t, ~left));
                return (first, end);
            }
            Visit(tree.NumberOfNodes == 0 ? ~0 : 0);
        }
        return new RankerTrees(nodes, leafStarts, [.. leaves], ensemble.Bias);
    }

    /// <summary>Scores every row of <paramref name="rows"/>, <paramref name="width"/> features a row end to end, into <paramref name="scores"/>.</summary>
    public void Score(ReadOnlySpan<float> rows, int width, Span<float> scores)
    {
        var reached = new ulong[_leafStarts.Length];
        var features = _starts.Length - 1;
        if (width < features) throw new ArgumentException($"rows of {width} features are narrower than the ranker's {features}", nameof(width));
        for (var r = 0; r < scores.Length; r++)
        {
            var row = rows.Slice(r * width, width);
            Array.Fill(reached, ulong.MaxValue);
            for (var f = 0; f < features; f++)
            {
                var value = row[f];
                if (float.IsNaN(value))
                {
                    for (var n = _missingStarts[f]; n < _missingStarts[f + 1]; n++) reached[_missingTrees[n]] &= _missingMasks[n];
                    continue;
                }
                for (var n = _starts[f]; n < _starts[f + 1] && _thresholds[n] < value; n++) reached[_trees[n]] &= _masks[n];
            }
            var sum = _bias;
            for (var t = 0; t < reached.Length; t++) sum += _leaves[_leafStarts[t] + BitOperations.TrailingZeroCount(reached[t])];
            scores[r] = (float)sum;
        }
    }

    private static readonly FieldInfo InternalTree = typeof(RegressionTreeBase).GetField("_tree", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(RegressionTreeBase), "_tree");

    /// <summary>
    /// The value a missing feature counts as at each node, or null when NaN is left as it is (and so goes right).
    /// ML.NET keeps it on its internal tree only, not on the public view of it; the ranker tests pin this against
    /// ML.NET's own scoring, so a new ML.NET that moves it fails there, not in serving.
    /// </summary>
    private static float[]? MissingValues(RegressionTree tree)
    {
        var inner = InternalTree.GetValue(tree)!;
        return (float[]?)inner.GetType().GetField("DefaultValueForMissing")?.GetValue(inner);
    }
}
