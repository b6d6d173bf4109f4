using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Models;

/// <summary>
/// A tenant's model as one replica serves it, immutable so a request keeps the one it started with, with what
/// serving needs beside the generator: popularity per context (cold start and its fill-up) and item-to-item
/// neighbours (the reasons, related items and diversity), the model's own when it has item-item, else fitted here.
/// </summary>
public sealed record ServedModel(string TenantId, int Version, TrainedModel Model, ContextPopularity Popular, ItemNeighbours Similar)
{
    public static ServedModel Of(string tenantId, int version, TrainedModel model)
    {
        var popular = new ContextPopularity();
        popular.Fit(model.Data);
        return new ServedModel(tenantId, version, model, popular, NeighboursOf(model));
    }

    private static ItemNeighbours NeighboursOf(TrainedModel model)
    {
        var own = model.Generator as ItemItemCf ?? (model.Generator as HybridRecommender)?.Generators.OfType<ItemItemCf>().FirstOrDefault();
        if (own is not null) return own.Neighbours;
        var fitted = new ItemItemCf(model.Settings.ItemItem with { MaxDegreeOfParallelism = model.Settings.Threads });
        fitted.Fit(model.Data);
        return fitted.Neighbours;
    }
}
