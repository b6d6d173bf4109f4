namespace Personalization.Recommendation.Interactions;

/// <summary>
/// How much one interaction counts: its type's weight (view &lt; add-to-cart &lt; purchase by default), or its own
/// value when the source gives one, times an exponential time decay with the given half-life, measured back from a
/// reference time (the end of the training data, so a split never looks into its test period).
/// </summary>
public sealed record InteractionWeighting
{
    public static readonly IReadOnlyDictionary<string, float> DefaultTypeWeights = new Dictionary<string, float>(StringComparer.OrdinalIgnoreCase)
    {
        [InteractionTypes.View] = 1f,
        [InteractionTypes.AddToCart] = 3f,
        [InteractionTypes.Purchase] = 5f,
    };

    public IReadOnlyDictionary<string, float> TypeWeights { get; init; } = DefaultTypeWeights;

    /// <summary>Weight of a type missing from <see cref="TypeWeights"/>.</summary>
    public float UnknownTypeWeight { get; init; } = 1f;

    /// <summary>Half-life of the decay in days; null for no decay.</summary>
    public double? HalfLifeDays { get; init; }

    /// <summary>Use an interaction's own value (rating, weight) instead of its type's weight when it has one.</summary>
    public bool UseValues { get; init; } = true;

    public float Weight(in Interaction interaction, DateTime reference)
    {
        var weight = UseValues && interaction.Value is { } value
            ? value
            : TypeWeights.TryGetValue(interaction.Type, out var typeWeight) ? typeWeight : UnknownTypeWeight;
        return weight * Decay(reference - interaction.Timestamp);
    }

    /// <summary>0.5^(age / half-life); an interaction after the reference time counts in full.</summary>
    public float Decay(TimeSpan age)
    {
        if (HalfLifeDays is not { } halfLife || age <= TimeSpan.Zero) return 1f;
        return (float)Math.Pow(0.5, age.TotalDays / halfLife);
    }
}
