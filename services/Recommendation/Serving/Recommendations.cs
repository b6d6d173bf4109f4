using Microsoft.Extensions.Options;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Serving.Rules;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Serving;

/// <summary>
/// An answer: its id (for attribution of impressions and clicks; see <see cref="ResponseOrigin"/>), the version that
/// made it, the experiment and variant it was served under, and the items.
/// </summary>
public sealed record RecommendationAnswer(
    string RecommendationId,
    int ModelVersion,
    string? Scenario,
    string? Experiment,
    string? Variant,
    RequestContext Context,
    bool ProfileRead,
    IReadOnlyList<RecommendedItem> Items);

/// <summary>Recommendations for a person, a product page or a cart, from the model this replica serves the tenant.</summary>
public sealed class Recommendations(ActiveModels models, CatalogueCache catalogues, ProfileReader profiles, IOptions<ServingSettings> settings,
    Impressions impressions, CandidateCache candidates, ServingMetrics metrics, TimeProvider clock)
{
    /// <summary>For a person: their trained history, what the profile shows they did since, their traits and context; what they were shown lately rotates. Null when the tenant has no model yet (or not the version asked for).</summary>
    /// <param name="shown">False for a look that is not shown to the person (the console's): their rotation is left as it is.</param>
    public async Task<RecommendationAnswer?> ForUserAsync(string tenantId, string userId, RecommendationOptions options, ItemRules rules, CancellationToken cancellationToken,
        bool shown = true)
    {
        var started = clock.GetTimestamp();
        var answer = await AnswerUserAsync(tenantId, userId, options, rules, shown, cancellationToken);
        metrics.Answered("user", answer, clock.GetElapsedTime(started));
        return answer;
    }

    private async Task<RecommendationAnswer?> AnswerUserAsync(string tenantId, string userId, RecommendationOptions options, ItemRules rules, bool shown,
        CancellationToken cancellationToken)
    {
        if (await models.ForAsync(tenantId, options.ModelVersion, cancellationToken) is not { } model) return null;
        var catalogue = await catalogues.ForAsync(tenantId, cancellationToken);
        var profile = await profiles.ReadAsync(tenantId, userId, settings.Value.ProfileTimeout, cancellationToken);
        var subject = Subject.ForUser(model, catalogue, userId, profile.Profile, options.Context);
        var answer = Answer(model, catalogue, subject, options, rules, impressions.DampingFor(tenantId, userId), profile.Reached);
        if (shown) impressions.Record(tenantId, userId, answer.Items.Select(i => i.ItemId));
        return answer;
    }

    /// <summary>For a product page (one item) or a cart (its items). Null when the tenant has no model yet (or not the version asked for).</summary>
    public async Task<RecommendationAnswer?> ForItemsAsync(string tenantId, IReadOnlyList<string> itemIds, AnchorKind kind, RecommendationOptions options,
        ItemRules rules, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var answer = await models.ForAsync(tenantId, options.ModelVersion, cancellationToken) is { } model
            ? Answer(model, await catalogues.ForAsync(tenantId, cancellationToken), Subject.ForItems(model, itemIds, kind, options.Context),
                options with { Exclude = [.. options.Exclude, .. itemIds] }, rules, NotShown, false)
            : null;
        metrics.Answered(kind == AnchorKind.InCart ? "cart" : "page", answer, clock.GetElapsedTime(started));
        return answer;
    }

    private static readonly IReadOnlyDictionary<string, double> NotShown = new Dictionary<string, double>();

    private RecommendationAnswer Answer(ServedModel model, TenantCatalogue catalogue, Subject subject, RecommendationOptions options, ItemRules rules,
        IReadOnlyDictionary<string, double> damping, bool profileRead) =>
        new(new ResponseOrigin(model.Version, options.Scenario, options.Experiment?.Experiment, options.Experiment?.Variant).NewId(),
            model.Version, options.Scenario, options.Experiment?.Experiment, options.Experiment?.Variant, options.Context, profileRead,
            RecommendationPipeline.Run(model, catalogue, subject, options, rules, damping, clock.GetUtcNow(), candidates));
}
