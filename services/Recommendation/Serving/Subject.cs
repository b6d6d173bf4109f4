using System.Text.Json;
using Personalization.Contracts.Catalog;
using Personalization.Contracts.Profiles;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;

namespace Personalization.Recommendation.Serving;

/// <summary>Why an item of the person's is an anchor: seen (or clicked), in the cart, bought, or the product page being looked at.</summary>
public enum AnchorKind
{
    Viewed,
    InCart,
    Page,
    Purchased,
}

/// <summary>One of the items a request is about, which the reasons point at.</summary>
public readonly record struct Anchor(int Item, AnchorKind Kind);

/// <summary>A catalog item that matches one of a new person's declared interests.</summary>
public readonly record struct InterestMatch(int Item, string Interest);

/// <summary>
/// Whom or what a request is for, in the served model's terms: the person for the generators (their trained row,
/// with what they bought, viewed, clicked and carted since, from the profile), the anchors the reasons point at, the items they must
/// not be shown again, and for someone with no items yet the catalog items matching their declared interests.
/// </summary>
public sealed record Subject(Person Person, IReadOnlyList<Anchor> Anchors, IReadOnlyList<int> Exclude, IReadOnlyList<InterestMatch> Interests)
{
    /// <summary>Traits an onboarding form may set with the categories or tags a person cares about.</summary>
    public static readonly IReadOnlyList<string> InterestTraits = ["interests", "favoriteCategories", "favorite_categories"];

    private const int MaxAnchors = 100;
    private const int MaxInterestSeeds = 5;

    public bool IsCold => Person.Items.Length == 0;

    public static Subject ForUser(ServedModel model, TenantCatalogue catalogue, string userId, CustomerProfile? profile, RequestContext context)
    {
        var matrix = model.Model.Data.Matrix;
        var weights = model.Model.Data.Weighting;
        var row = matrix.UserIndex(userId);
        var anchors = new List<Anchor>();
        var recent = new List<(int Item, float Weight)>();
        foreach (var bought in profile?.RecentlyPurchased ?? [])
            Add(matrix.ItemIndex(bought.ItemId), AnchorKind.Purchased, InteractionTypes.Purchase);
        foreach (var line in profile?.Cart.Values ?? Enumerable.Empty<CartLine>())
            Add(matrix.ItemIndex(line.ItemId), AnchorKind.InCart, InteractionTypes.AddToCart);
        foreach (var view in profile?.RecentlyViewed ?? [])
            Add(matrix.ItemIndex(view.ItemId), AnchorKind.Viewed, InteractionTypes.View);

        var trained = row >= 0 ? Person.Of(matrix, row) : null;
        foreach (var item in trained?.Items ?? [])
            if (anchors.Count < MaxAnchors && !anchors.Any(a => a.Item == item)) anchors.Add(new Anchor(item, AnchorKind.Viewed));
        var where = context.Country ?? context.Device ?? profile?.LastContext.Country ?? profile?.LastContext.Device ?? trained?.Context;
        // What the profile shows that training already counted stays as trained; only what is new joins the row.
        var person = trained is null
            ? Person.FromItems(recent, where)
            : trained.With(recent.Where(r => trained.Items.AsSpan().BinarySearch(r.Item) < 0)) with { Context = where };
        var interests = person.Items.Length == 0 ? InterestsOf(model, catalogue, profile) : [];
        if (interests.Count > 0)
            person = Person.FromItems(interests.Take(MaxInterestSeeds).Select(i => (i.Item, 1f)), where);
        return new Subject(person, anchors, [.. person.Items.Except(interests.Select(i => i.Item))], interests);

        void Add(int item, AnchorKind kind, string type)
        {
            if (item < 0 || recent.Any(r => r.Item == item)) return;
            recent.Add((item, weights.TypeWeights.GetValueOrDefault(type, weights.UnknownTypeWeight)));
            if (anchors.Count < MaxAnchors) anchors.Add(new Anchor(item, kind));
        }
    }

    /// <summary>A product page (one item) or a cart (several): the items themselves are the person, and never shown.</summary>
    public static Subject ForItems(ServedModel model, IReadOnlyList<string> itemIds, AnchorKind kind, RequestContext context)
    {
        var items = itemIds.Select(model.Model.Data.Matrix.ItemIndex).Where(i => i >= 0).Distinct().ToList();
        var person = Person.FromItems(items.Select(i => (i, 1f)), context.Country ?? context.Device);
        return new Subject(person, [.. items.Select(i => new Anchor(i, kind))], person.Items, []);
    }

    /// <summary>Live catalog items in the model whose category path, a category or a tag is a declared interest, most popular first.</summary>
    private static List<InterestMatch> InterestsOf(ServedModel model, TenantCatalogue catalogue, CustomerProfile? profile)
    {
        var declared = InterestTraits.SelectMany(trait => Strings(profile?.Traits.GetValueOrDefault(trait))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (declared.Count == 0) return [];
        var matrix = model.Model.Data.Matrix;
        var matches = new List<InterestMatch>();
        foreach (var item in catalogue.Live)
        {
            var index = matrix.ItemIndex(item.ItemId);
            if (index < 0 || !catalogue.IsServable(item.ItemId)) continue;
            if (declared.FirstOrDefault(interest => Matches(item, interest)) is { } interest) matches.Add(new InterestMatch(index, interest));
        }
        return [.. matches.OrderByDescending(m => model.Popular.Weight(m.Item)).ThenBy(m => m.Item)];
    }

    private static bool Matches(CatalogItem item, string interest) =>
        item.Category.Contains(interest, StringComparer.OrdinalIgnoreCase)
        || item.Tags.Contains(interest, StringComparer.OrdinalIgnoreCase)
        || string.Equals(item.CategoryPath, interest, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Strings(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v when !string.IsNullOrWhiteSpace(v.GetString()) => [v.GetString()!.Trim()],
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0),
        _ => [],
    };
}
