// Gradient-boosted trees scored from flat arrays, tree by tree over a batch of rows: O(rows · trees · depth).
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Personalization.Recommendation.Ranking;

/// <summary>
/// The ranker's trees, taken out of ML.NET's model into flat arrays so serving scores a candidate by walking them
/// directly: ML.NET's prediction engine costs several microseconds of per-row set-up for what is a few hundred
/// comparisons, and a request scores hundreds of candidates. Same arithmetic as ML.NET's: at each node, go left
/// when the feature is at most the threshold, a missing value (NaN) counting as the node's value for missing
/// (LightGBM's default direction), and the score is the bias plus each tree's weight times the leaf reached.
/// </summary>
public sealed class RankerTrees
{
    /// <summary>A split: go left when the feature is at most the threshold, or is missing and missing goes left. A child ≥ 0 is a node, &lt; 0 the leaf ~child.</summary>
    private readonly record struct Node(int Feature, float Threshold, bool MissingGoesLeft, int Left, int Right);

    // The nodes and leaves of all trees end to end, indexed globally; each leaf already times its tree's weight.
    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly double[] _leaves;
    private readonly double _bias;

    private RankerTrees(int[] roots, Node[] nodes, double[] leaves, double bias) => (_roots, _nodes, _leaves, _bias) = (roots, nodes, leaves, bias);

    /// <summary>The trees of a fitted LightGBM ranking pipeline (its last step); numerical splits only, as the ranker's features are.</summary>
    public static RankerTrees From(ITransformer ranker)
    {
        var last = ranker;
        while (last is IEnumerable<ITransformer> chain) last = chain.Last();
        var model = (last as ISingleFeaturePredictionTransformer<object>)?.Model as LightGbmRankingModelParameters
            ?? throw new InvalidDataException($"the ranker is a {last.GetType().Name}, not LightGBM ranking trees");
        var ensemble = model.TrainedTreeEnsemble;
        var (roots, nodes, leaves) = (new List<int>(), new List<Node>(), new List<double>());
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(f => f)) throw new InvalidDataException("the ranker has a categorical split, which its features never need");
            var (nodeBase, leafBase) = (nodes.Count, leaves.Count);
            int Global(int child) => child >= 0 ? child + nodeBase : ~(~child + leafBase);
            roots.Add(tree.NumberOfNodes == 0 ? ~leafBase : nodeBase);
            var missing = MissingValues(tree);
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                var threshold = tree.NumericalSplitThresholds[n];
                // NaN counts as the node's value for missing; where there is none it stays NaN, and NaN ≤ x is false.
                var missingGoesLeft = missing is not null && missing[n] <= threshold;
                nodes.Add(new Node(tree.NumericalSplitFeatureIndexes[n], threshold, missingGoesLeft, Global(tree.LeftChild[n]), Global(tree.RightChild[n])));
            }
            leaves.AddRange(tree.LeafValues.Select(v => ensemble.TreeWeights[t] * v));
        }
        return new RankerTrees([.. roots], [.. nodes], [.. leaves], ensemble.Bias);
    }

    /// <summary>
    /// Scores every row into <paramref name="scores"/>, tree by tree rather than row by row, so a tree's nodes stay in
    /// the cache and the walks down it for different rows overlap in the processor.
    /// </summary>
    public void Score(IReadOnlyList<float[]> rows, Span<float> scores)
    {
        var sums = new double[rows.Count];
        Array.Fill(sums, _bias);
        foreach (var root in _roots)
            for (var r = 0; r < sums.Length; r++)
            {
                var row = rows[r];
                var node = root;
                while (node >= 0)
                {
                    var split = _nodes[node];
                    var value = row[split.Feature];
                    node = value <= split.Threshold || (float.IsNaN(value) && split.MissingGoesLeft) ? split.Left : split.Right;
                }
                sums[r] += _leaves[~node];
            }
        for (var r = 0; r < sums.Length; r++) scores[r] = (float)sums[r];
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
