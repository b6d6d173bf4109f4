using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Serving;

/// <summary>Why an item is recommended: a kind to act on, the sentence to show, and the item it points at, if any.</summary>
public sealed record Reason(string Kind, string Text, string? ItemId = null)
{
    public const string Viewed = "viewed";
    public const string Bought = "bought";
    public const string BoughtTogether = "bought-together";
    public const string Cart = "cart";
    public const string Interest = "interest";
    public const string PopularIn = "popular-in";
    public const string Trending = "trending";
    public const string Popular = "popular";
    public const string ForYou = "for-you";
}

/// <summary>
/// Finds each item's reasons: the anchor it is most similar to (item-to-item neighbours), the declared interest it
/// matches, whether it is trending or popular in the person's context, else who proposed it.
/// </summary>
public sealed class Reasons
{
    private readonly ServedModel _model;
    private readonly TenantCatalogue _catalogue;
    private readonly Subject _subject;
    private readonly Dictionary<int, (Anchor Anchor, float Weight)> _strongestAnchor = [];

    public Reasons(ServedModel model, TenantCatalogue catalogue, Subject subject)
    {
        (_model, _catalogue, _subject) = (model, catalogue, subject);
        foreach (var anchor in subject.Anchors)
            foreach (var (neighbour, weight) in model.Similar.Of(anchor.Item))
                if (weight > 0 && (!_strongestAnchor.TryGetValue(neighbour, out var best) || weight > best.Weight))
                    _strongestAnchor[neighbour] = (anchor, weight);
    }

    /// <summary>A model's context is the country when events had one (ISO 3166 codes, two letters), else the device type.</summary>
    private static string Where(string context) => context.Length == 2 && context.All(char.IsLetter) ? $"in {context}" : $"on {context}";

    public IReadOnlyList<Reason> For(int item, IReadOnlyList<string> proposedBy)
    {
        var reasons = new List<Reason>();
        foreach (var match in _subject.Interests)
            if (match.Item == item)
            {
                reasons.Add(new Reason(Reason.Interest, $"matches your interest in {match.Interest}"));
                break;
            }
        if (_strongestAnchor.TryGetValue(item, out var strongest))
        {
            var id = _model.Model.Data.Matrix.ItemIds[strongest.Anchor.Item];
            var title = _catalogue.Find(id)?.Title ?? id;
            reasons.Add(strongest.Anchor.Kind switch
            {
                AnchorKind.InCart => new Reason(Reason.Cart, "similar to items in your cart", id),
                AnchorKind.Page => new Reason(Reason.BoughtTogether, $"often bought together with {title}", id),
                AnchorKind.Purchased => new Reason(Reason.Bought, $"goes with {title}, which you bought", id),
                _ => new Reason(Reason.Viewed, $"because you viewed {title}", id),
            });
        }
        if (_model.Model.Trend?.Contains(item) == true)
            reasons.Add(new Reason(Reason.Trending, "trending now"));
        var byPopularity = proposedBy.Any(p => p.StartsWith(Models.Algorithms.Popularity, StringComparison.Ordinal));
        var context = _subject.Person.Context;
        if ((byPopularity || reasons.Count == 0) && context is not null && _model.Popular.IsPopularIn(context, item))
            reasons.Add(new Reason(Reason.PopularIn, $"popular {Where(context)}"));
        if (reasons.Count == 0)
            reasons.Add(byPopularity
                ? new Reason(Reason.Popular, "popular with everyone")
                : new Reason(Reason.ForYou, $"picked for you by {string.Join(" and ", proposedBy)}"));
        return reasons;
    }
}
