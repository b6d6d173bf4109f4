using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>An item and how strongly a generator recommends it; scores compare within one generator only.</summary>
public readonly record struct ScoredItem(int Item, float Score);

/// <summary>
/// One way of proposing items for a user. <see cref="Fit"/> learns from a matrix; <see cref="Recommend"/> is then
/// safe to call from several threads and returns at most k items, best first, none of them in
/// <paramref name="exclude"/> (usually the user's own items), ties broken by the lower item index.
/// </summary>
public interface ICandidateGenerator
{
    string Name { get; }
    void Fit(InteractionMatrix interactions);
    ScoredItem[] Recommend(int user, int k, ReadOnlySpan<int> exclude);
}

/// <summary>A generator that can score any item for a user, not only those in its top k (the ranker's dense features).</summary>
public interface IItemScorer
{
    float Score(int user, int item);
}
