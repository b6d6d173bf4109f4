using Personalization.Recommendation.Candidates;

namespace Personalization.Recommendation.Models;

/// <summary>
/// A tenant's model as one replica serves it, immutable so a request keeps the one it started with, with what
/// serving needs beside the generator: popularity per context (cold start and its fill-up) and item-to-item
/// neighbours (the reasons and diversity), the model's own when it has item-item, else fitted here for up to
/// <see cref="MaxItemsToFitNeighbours"/> items (a larger model without item-item gives no "because you viewed" reasons
/// and no similarity for diversity).
/// </summary>
public sealed record ServedModel(string TenantId, int Version, TrainedModel Model, ContextPopularity Popular, ItemNeighbours Similar)
{
    public static ServedModel Of(string tenantId, int version, TrainedModel model)
    {
        var popular = new ContextPopularity();
        popular.Fit(model.Data);
        return new ServedModel(tenantId, version, model, popular, NeighboursOf(model));
    }

    /// <summary>Above this many items a model without item-item of its own gets none (fitting one here would hold up the swap).</summary>
    public const int MaxItemsToFitNeighbours = 20_000;

    private static ItemNeighbours NeighboursOf(TrainedModel model)
    {
        if (model.Source<ItemItemCf>() is { } own) return own.Neighbours;
        if (model.Data.Matrix.ItemCount > MaxItemsToFitNeighbours) return ItemNeighbours.Empty;
        var fitted = new ItemItemCf(model.Settings.ItemItem with { MaxDegreeOfParallelism = model.Settings.Threads });
        fitted.Fit(model.Data);
        return fitted.Neighbours;
    }
}
