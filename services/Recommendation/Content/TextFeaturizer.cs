// Item text features: TF-IDF bag of words and word pairs (Salton & Buckley 1988) through ML.NET FeaturizeText, L2-normalised. O(total text length).
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Content;

/// <summary>
/// Item feature vectors from the catalogue with ML.NET's text featurizer: the title, description and category are
/// lower-cased, stripped of stop words and punctuation and turned into an L2-normalised TF-IDF bag of words and word
/// pairs. Attributes join as tokens of their own: the category path as one token, the price as a log₂ price band,
/// so "similar price" and "same category" count like shared words. Items with no catalogue entry get an empty row.
/// </summary>
public static class TextFeaturizer
{
    private sealed class ItemText
    {
        public string Text { get; set; } = "";
    }

    public static SparseRows Featurize(IReadOnlyList<string> itemIds, IReadOnlyDictionary<string, ItemContent> catalogue, int seed = 0)
    {
        var ml = new MLContext(seed);
        var rows = itemIds.Select(id => new ItemText { Text = catalogue.TryGetValue(id, out var item) ? Text(item) : "" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = 2,
                UseAllLengths = true,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            CharFeatureExtractor = null,
            StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options(),
            KeepPunctuations = false,
            KeepNumbers = true,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var features = ml.Transforms.Text.FeaturizeText("Features", options, nameof(ItemText.Text)).Fit(data).Transform(data);

        var offsets = new List<int> { 0 };
        var indices = new List<int>();
        var values = new List<float>();
        var dimensions = 0;
        foreach (var vector in features.GetColumn<VBuffer<float>>("Features"))
        {
            dimensions = vector.Length;
            foreach (var (index, value) in vector.Items())
            {
                if (value == 0) continue;
                indices.Add(index);
                values.Add(value);
            }
            offsets.Add(indices.Count);
        }
        return new SparseRows(dimensions, offsets.ToArray(), indices.ToArray(), values.ToArray());
    }

    private static string Text(ItemContent item)
    {
        var parts = new List<string> { item.Title };
        if (item.Description is { Length: > 0 } description) parts.Add(description);
        if (item.Category is { Length: > 0 } category)
            parts.Add(category + " category_" + new string(category.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant());
        if (item.Price is > 0 and var price)
            parts.Add($"priceband{(int)Math.Floor(Math.Log2(price)) + 10}");
        return string.Join(" ", parts);
    }
}
