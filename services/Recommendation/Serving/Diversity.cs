using Personalization.Recommendation.Candidates;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// Maximal marginal relevance (Carbonell &amp; Goldstein 1998): picks, one at a time, the candidate with the best
/// λ·score − (1 − λ)·max similarity to those already picked, λ = 1 − diversity, over the model's item-to-item
/// similarities; and at most a number of items per category. Diversity 0 and no cap keep the order of the scores.
/// O(count · candidates) similarity look-ups, each O(1) after one pass over a picked item's neighbours.
/// </summary>
public static class Diversity
{
    public readonly record struct Choice(int Item, float Score, string? Category);

    public static List<Choice> Select(IReadOnlyList<Choice> candidates, int count, double diversity, int? maxPerCategory, ItemNeighbours similar)
    {
        var ordered = candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Item).ToList();
        var perCategory = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        bool Fits(Choice c) => maxPerCategory is not { } cap || c.Category is null || perCategory.GetValueOrDefault(c.Category) < cap;
        var picked = new List<Choice>(count);
        // Each remaining candidate's highest similarity to a picked item, kept up to date as items are picked.
        var closest = new Dictionary<int, float>();
        var lambda = (float)(1 - diversity);
        while (picked.Count < count)
        {
            var best = -1;
            var bestValue = float.NegativeInfinity;
            for (var n = 0; n < ordered.Count; n++)
            {
                if (!Fits(ordered[n])) continue;
                var value = lambda * ordered[n].Score - (1 - lambda) * closest.GetValueOrDefault(ordered[n].Item);
                if (value > bestValue) (best, bestValue) = (n, value);
                if (diversity == 0) break;
            }
            if (best < 0) break;
            var choice = ordered[best];
            ordered.RemoveAt(best);
            picked.Add(choice);
            if (choice.Category is not null) perCategory[choice.Category] = perCategory.GetValueOrDefault(choice.Category) + 1;
            if (diversity > 0)
                foreach (var (neighbour, similarity) in similar.Of(choice.Item))
                    if (similarity > closest.GetValueOrDefault(neighbour)) closest[neighbour] = similarity;
        }
        return picked;
    }
}
