using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// What generators learn from: the weighted matrix and the raw history it was built from (a ranker needs the times
/// to split it), the catalogue and the weighting, so a generator that trains models of its own on parts of the
/// history weighs them the same way.
/// </summary>
public sealed record TrainingData(
    InteractionMatrix Matrix,
    IReadOnlyList<Interaction> History,
    IReadOnlyDictionary<string, ItemContent> Catalogue,
    InteractionWeighting Weighting)
{
    /// <summary>
    /// Weighs the history with the decay measured back from <paramref name="reference"/> (by default its latest
    /// interaction); the catalogue's items that nobody has had yet join as empty columns.
    /// </summary>
    public static TrainingData Build(IReadOnlyList<Interaction> history, InteractionWeighting weighting,
        IReadOnlyDictionary<string, ItemContent>? catalogue = null, DateTime? reference = null)
    {
        catalogue ??= new Dictionary<string, ItemContent>();
        return new(InteractionMatrix.Build(history, weighting, reference, catalogue.Keys), history, catalogue, weighting);
    }

    /// <summary>A matrix alone, for generators that need nothing else (no times, no catalogue).</summary>
    public static TrainingData Of(InteractionMatrix matrix) => new(matrix, [], new Dictionary<string, ItemContent>(), new InteractionWeighting());
}
