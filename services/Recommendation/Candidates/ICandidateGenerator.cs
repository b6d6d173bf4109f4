namespace Personalization.Recommendation.Candidates;

/// <summary>An item and how strongly a generator recommends it; scores compare within one generator only.</summary>
public readonly record struct ScoredItem(int Item, float Score);

/// <summary>
/// One way of proposing items for a person. <see cref="Fit"/> learns from the training data it is given and from
/// nothing else; <see cref="Recommend"/> is then safe to call from several threads and returns at most k items,
/// best first, none of them in <c>exclude</c> (usually the person's own items), ties broken by the lower
/// item index. A person is their items, not their row: someone new, someone with activity since training, a single
/// product page or a cart are all asked the same way.
/// </summary>
public interface ICandidateGenerator
{
    string Name { get; }
    void Fit(TrainingData data);
    ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude);

    /// <summary>Writes what <see cref="Fit"/> learnt that cannot be recomputed cheaply from the matrix.</summary>
    void Save(ModelStateWriter writer);

    /// <summary>Restores the state <see cref="Save"/> wrote, for the same training matrix (history and times are not needed).</summary>
    void Load(ModelStateReader reader, TrainingData data);
}

/// <summary>A generator that can score any item for a person, not only those in its top k (the ranker's dense features).</summary>
public interface IItemScorer
{
    /// <summary>Writes the person's score for each item.</summary>
    void Score(Person person, ReadOnlySpan<int> items, Span<float> scores);
}
