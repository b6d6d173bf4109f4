using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Personalization.Recommendation.Ranking;

/// <summary>
/// How much each feature moved the ranker's score of a row, by ML.NET's feature contribution calculation for tree
/// ensembles: at every split on a row's path down each tree, the feature tested gets the difference between the
/// tree's output and what it would have been had the row gone the other way. Positive raised the score. Built for
/// explaining a handful of items (<c>debug=true</c>), not for scoring.
/// </summary>
public static class RankerContributions
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Explained
    {
        public float[] FeatureContributions { get; set; } = [];
    }

    /// <summary>Per row of <paramref name="rows"/> (<paramref name="width"/> features each, end to end), each feature's contribution.</summary>
    public static float[][] Of(MLContext ml, ITransformer ranker, ReadOnlySpan<float> rows, int width)
    {
        var last = ranker;
        while (last is IEnumerable<ITransformer> chain) last = chain.Last();
        var predictor = last as ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>
            ?? throw new InvalidDataException($"the ranker is a {last.GetType().Name}, whose contributions ML.NET cannot calculate");
        var list = new List<Row>(rows.Length / width);
        for (var at = 0; at < rows.Length; at += width) list.Add(new Row { Features = rows.Slice(at, width).ToArray() });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var view = ml.Data.LoadFromEnumerable(list, schema);
        var contributions = ml.Transforms.CalculateFeatureContribution(predictor, numberOfPositiveContributions: width,
            numberOfNegativeContributions: width, normalize: false).Fit(view).Transform(view);
        return [.. ml.Data.CreateEnumerable<Explained>(contributions, reuseRowObject: false).Select(e => e.FeatureContributions)];
    }
}
