using System.Text.Json;
using System.Text.Json.Serialization;
using Personalization.Contracts.Catalog;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Ranking;
using Personalization.Recommendation.Serving.Rules;

namespace Personalization.Recommendation.Serving;

/// <summary>What a page needs to show an item, from the catalog (null when the catalog does not know it).</summary>
public sealed record ItemSummary(string Title, string? Category, decimal? Price, string? Currency, IReadOnlyDictionary<string, JsonElement> Attributes)
{
    public static ItemSummary? Of(CatalogItem? item) =>
        item is null ? null : new ItemSummary(item.Title, item.CategoryPath, item.Price, item.Currency, item.Attributes);
}

/// <summary>
/// One recommended item: its score (0..1, comparable within one answer), its reasons, the generators that proposed
/// it, and with <c>debug=true</c> how much each of the ranker's features moved its ranker score.
/// </summary>
public sealed record RecommendedItem(string ItemId, double Score, IReadOnlyList<Reason> Reasons, IReadOnlyList<string> ProposedBy, ItemSummary? Item,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HybridRecommender.FeatureContribution>? Contributions = null);

/// <summary>
/// One request's way from the served model to the answer: the generator's candidates for the subject (for someone
/// with no items, fused with their interests and the context's popular items), the items the rules, the catalog and
/// the caller's exclusions admit, popular items when too few remain, scores brought to 0..1, boosted and damped for
/// items recently shown, then <see cref="RecommendationOptions.Count"/> of them picked for relevance and diversity,
/// with their reasons.
/// </summary>
public static class RecommendationPipeline
{
    private const int MinimumPool = 100;

    /// <summary>Candidates kept per item asked for, so the rules and diversity have a choice.</summary>
    private const int PoolPerItem = 3;

    private const float FusionRankOffset = 60;

    public static IReadOnlyList<RecommendedItem> Run(ServedModel model, TenantCatalogue catalogue, Subject subject, RecommendationOptions options,
        ItemRules rules, IReadOnlyDictionary<string, double> damping, DateTimeOffset now, CandidateCache candidates)
    {
        var matrix = model.Model.Data.Matrix;
        var excluded = options.Exclude.ToHashSet(StringComparer.Ordinal);
        ItemFacts Facts(int item) => new(matrix.ItemIds[item], catalogue.Find(matrix.ItemIds[item]), model.Popular.Weight(item), now);
        bool Admits(int item) =>
            !excluded.Contains(matrix.ItemIds[item]) && rules.Admits(Facts(item), catalogue.IsServable(matrix.ItemIds[item]));

        var wanted = options.Count * PoolPerItem;
        List<Candidate> admitted;
        for (var pool = Math.Max(MinimumPool, wanted); ; pool *= 4)
        {
            var proposed = options.PopularityOnly
                ? [.. Popular(model, subject, pool)]
                : candidates.GetOrAdd(model.TenantId, model.Version, subject, pool, () => [.. Propose(model, subject, pool)]);
            admitted = [.. proposed.Where(c => Admits(c.Item))];
            // Enough, or all the generator has to give (the hybrid's candidates per source are bounded).
            if (admitted.Count >= wanted || proposed.Count < pool || pool >= matrix.ItemCount) break;
        }
        if (admitted.Count < options.Count) FillWithPopular(model, subject, admitted, Admits, options.Count);

        var proposedBy = admitted.ToDictionary(c => c.Item, c => c.ProposedBy);
        var choices = Normalise(admitted).Select(c =>
        {
            var facts = Facts(c.Item);
            var score = c.Score * rules.BoostOf(facts) * damping.GetValueOrDefault(facts.ItemId, 1d);
            return new Diversity.Choice(c.Item, (float)score, facts.Item?.CategoryPath);
        }).ToList();
        var picked = Diversity.Select(choices, options.Count, options.Diversity, options.MaxPerCategory, model.Similar);
        var reasons = new Reasons(model, catalogue, subject);
        // Without a ranker (another algorithm, a holdout, someone the ranker was not trained on) there is nothing to explain.
        var explained = !options.Debug ? null
            : model.Model.Generator is HybridRecommender hybrid && !options.PopularityOnly
                ? hybrid.Explain(subject.Person, [.. picked.Select(c => c.Item)], [.. subject.Exclude])
                : new Dictionary<int, IReadOnlyList<HybridRecommender.FeatureContribution>>();
        return [.. picked.Select(c =>
        {
            var id = matrix.ItemIds[c.Item];
            return new RecommendedItem(id, Math.Round(c.Score, 4), reasons.For(c.Item, proposedBy[c.Item]), proposedBy[c.Item], ItemSummary.Of(catalogue.Find(id)),
                explained is null ? null : explained.GetValueOrDefault(c.Item) ?? []);
        })];
    }

    /// <summary>
    /// The generator's list, fused by reciprocal rank (Σ 1 / (60 + rank)) with what else the subject calls for: for
    /// someone with no items of their own or with declared interests, the items matching them and the context's
    /// popular items, so an interest or a country shapes a first visit; for a product page, a cart or someone the
    /// model was not trained on, the catalogue's text when the generator does not read it itself, so items nobody
    /// has had yet are reached.
    /// </summary>
    private static IEnumerable<Candidate> Propose(ServedModel model, Subject subject, int pool)
    {
        var generator = model.Model.Generator;
        var exclude = subject.Exclude.ToArray();
        IReadOnlyList<Candidate> own = generator is HybridRecommender hybrid
            ? [.. hybrid.Rank(subject.Person, pool, exclude).Select(r => new Candidate(r.Item, r.Score, r.ProposedBy))]
            : [.. generator.Recommend(subject.Person, pool, exclude).Select(s => new Candidate(s.Item, s.Score, [generator.Name]))];
        List<IReadOnlyList<Candidate>> lists = [own];
        if (subject.IsCold || subject.Interests.Count > 0)
        {
            lists.Add([.. subject.Interests.Take(pool).Select(i => new Candidate(i.Item, 0, [Algorithms.Content]))]);
            lists.Add([.. Popular(model, subject, pool)]);
        }
        if (model.Model.Content is { } content && subject.Person.Row < 0 && !subject.IsCold)
            lists.Add([.. content.Recommend(subject.Person, pool, exclude).Select(s => new Candidate(s.Item, s.Score, [content.Name]))]);
        if (lists.Count == 1) return own;

        var fused = new Dictionary<int, (float Score, List<string> ProposedBy)>();
        foreach (var list in lists)
            for (var rank = 0; rank < list.Count; rank++)
            {
                var (item, _, by) = list[rank];
                if (!fused.TryGetValue(item, out var entry)) fused[item] = entry = (0, []);
                fused[item] = (entry.Score + 1f / (FusionRankOffset + rank + 1), [.. entry.ProposedBy.Union(by)]);
            }
        return fused.Select(f => new Candidate(f.Key, f.Value.Score, f.Value.ProposedBy)).OrderByDescending(c => c.Score).ThenBy(c => c.Item);
    }

    /// <summary>The context's most popular items: one of the lists fused for a first visit, and all a popularity-only holdout gets.</summary>
    private static IEnumerable<Candidate> Popular(ServedModel model, Subject subject, int pool) =>
        model.Popular.RecommendFor(subject.Person.Context, pool, [.. subject.Exclude]).Select(s => new Candidate(s.Item, s.Score, [Algorithms.PopularityByContext]));

    /// <summary>Appends the context's popular items that the rules admit, below everything proposed.</summary>
    private static void FillWithPopular(ServedModel model, Subject subject, List<Candidate> admitted, Func<int, bool> admits, int count)
    {
        var taken = admitted.Select(c => c.Item).ToHashSet();
        var floor = admitted.Count > 0 ? admitted.Min(c => c.Score) : 0f;
        foreach (var (item, _) in model.Popular.RecommendFor(subject.Person.Context, model.Model.Data.Matrix.ItemCount, subject.Exclude.ToArray()))
        {
            if (admitted.Count >= count) break;
            if (!taken.Add(item) || !admits(item)) continue;
            floor -= 1e-3f;
            admitted.Add(new Candidate(item, floor, [Algorithms.PopularityByContext]));
        }
    }

    /// <summary>Scores to (0, 1] by their place between the lowest and highest, so boosts multiply like for like whatever the generator.</summary>
    private static IEnumerable<Candidate> Normalise(List<Candidate> candidates)
    {
        if (candidates.Count == 0) return [];
        var (low, high) = (candidates.Min(c => c.Score), candidates.Max(c => c.Score));
        return candidates.Select(c => c with { Score = high > low ? 0.01f + 0.99f * (c.Score - low) / (high - low) : 1f });
    }
}
