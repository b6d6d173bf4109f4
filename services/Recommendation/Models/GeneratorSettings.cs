using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Models;

/// <summary>
/// Every setting of every generator, in one record: what the evaluate verb reads from its options, what a training
/// run reads from configuration and stores with the model version it makes. The seed and the thread count are set
/// once here and passed to each algorithm.
/// </summary>
public sealed record GeneratorSettings
{
    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Half-life of the interaction weights' decay in days; null for none.</summary>
    public double? HalfLifeDays { get; init; }

    public ImplicitAls.Options Als { get; init; } = ImplicitAls.Options.Default;
    public NeighbourhoodOptions ItemItem { get; init; } = NeighbourhoodOptions.ItemDefault;
    public NeighbourhoodOptions UserUser { get; init; } = NeighbourhoodOptions.UserDefault;
    public Ease.Options Ease { get; init; } = Candidates.Ease.Options.Default;
    public HybridRecommender.Options Hybrid { get; init; } = HybridRecommender.Options.Default;

    /// <summary>The hybrid's candidate sources.</summary>
    public IReadOnlyList<string> HybridSources { get; init; } = Algorithms.DefaultHybridSources;

    public InteractionWeighting Weighting => new() { HalfLifeDays = HalfLifeDays };
}

/// <summary>The generators by name: the one list of algorithm names, and the one place they are built.</summary>
public static class Algorithms
{
    public const string Popularity = "popularity";
    public const string PopularityByContext = "popularity-by-context";
    public const string ItemItem = "item-item";
    public const string UserUser = "user-user";
    public const string Als = "als";
    public const string Ease = "ease";
    public const string Content = "content";
    public const string Hybrid = "hybrid";

    public static readonly IReadOnlyList<string> All = [Popularity, PopularityByContext, ItemItem, UserUser, Als, Ease, Content, Hybrid];

    /// <summary>The hybrid's candidate sources, by default.</summary>
    public static readonly IReadOnlyList<string> DefaultHybridSources = [Popularity, PopularityByContext, ItemItem, UserUser, Als, Ease, Content];

    /// <summary>The algorithms that can learn from data with or without a catalogue (content needs one).</summary>
    public static IReadOnlyList<string> Applicable(IReadOnlyList<string> names, bool hasCatalogue) =>
        [.. names.Where(name => hasCatalogue || name != Content)];

    public static ICandidateGenerator Create(string name, GeneratorSettings settings, bool hasCatalogue) => name switch
    {
        Popularity => new Popularity(),
        PopularityByContext => new ContextPopularity(),
        ItemItem => new ItemItemCf(settings.ItemItem with { MaxDegreeOfParallelism = settings.Threads }),
        UserUser => new UserUserCf(settings.UserUser),
        Als => new ImplicitAls(settings.Als with { Seed = settings.Seed, MaxDegreeOfParallelism = settings.Threads }),
        Ease => new Ease(settings.Ease with { MaxDegreeOfParallelism = settings.Threads }),
        Content => new ContentBased(settings.Seed),
        Hybrid => new HybridRecommender(
            () => [.. Applicable(settings.HybridSources, hasCatalogue).Select(source => Create(source, settings, hasCatalogue))],
            settings.Hybrid with { Seed = settings.Seed, Threads = settings.Threads }),
        _ => throw new ArgumentException($"unknown algorithm '{name}' ({string.Join(", ", All)})"),
    };
}
