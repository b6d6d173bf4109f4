// Item-to-item weight lists in compressed rows; a person's score for j is Σ_{i ∈ person} r_i·w_ij. O(|person|·K + c log k).
namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Each item's neighbours and their weights, best first: item-item's similarities or EASE's weights. A person's
/// score for item j is Σ_{i ∈ person} r_i · w_ij, so a product page, a cart or a visitor's last views are scored
/// the same way as a trained user.
/// </summary>
public sealed class ItemNeighbours
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;
    private readonly float[] _weights;

    public ItemNeighbours(int[] offsets, int[] neighbours, float[] weights)
    {
        if (offsets.Length == 0 || offsets[^1] != neighbours.Length || neighbours.Length != weights.Length)
            throw new ArgumentException("offsets, neighbours and weights do not describe the same lists");
        (_offsets, _neighbours, _weights) = (offsets, neighbours, weights);
    }

    public static readonly ItemNeighbours Empty = new([0], [], []);

    public static ItemNeighbours From(IReadOnlyList<ScoredItem[]> lists)
    {
        var offsets = new int[lists.Count + 1];
        for (var item = 0; item < lists.Count; item++) offsets[item + 1] = offsets[item] + lists[item].Length;
        var neighbours = new int[offsets[^1]];
        var weights = new float[offsets[^1]];
        for (var item = 0; item < lists.Count; item++)
            for (var n = 0; n < lists[item].Length; n++)
            {
                neighbours[offsets[item] + n] = lists[item][n].Item;
                weights[offsets[item] + n] = lists[item][n].Score;
            }
        return new ItemNeighbours(offsets, neighbours, weights);
    }

    public int ItemCount => _offsets.Length - 1;

    public void Save(ModelStateWriter writer)
    {
        writer.Write(_offsets);
        writer.Write(_neighbours);
        writer.Write(_weights);
    }

    public static ItemNeighbours Load(ModelStateReader reader)
    {
        try
        {
            return new ItemNeighbours(reader.ReadInts(), reader.ReadInts(), reader.ReadFloats());
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message);
        }
    }

    /// <summary>Item i's neighbours, best first.</summary>
    public ScoredItem[] Of(int item)
    {
        if ((uint)item >= (uint)ItemCount) return [];
        var result = new ScoredItem[_offsets[item + 1] - _offsets[item]];
        for (var n = 0; n < result.Length; n++)
            result[n] = new ScoredItem(_neighbours[_offsets[item] + n], _weights[_offsets[item] + n]);
        return result;
    }

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude)
    {
        using var scores = Accumulate(person);
        return scores.Top(k, exclude);
    }

    /// <summary>The person's score for each of the items (0 where none of their items points at it).</summary>
    public void Score(Person person, ReadOnlySpan<int> items, Span<float> into)
    {
        using var scores = Accumulate(person);
        for (var n = 0; n < items.Length; n++) into[n] = scores.Scores[items[n]];
    }

    private ScoreBuffer Accumulate(Person person)
    {
        var scores = ScoreBuffer.Rent(ItemCount);
        for (var n = 0; n < person.Items.Length; n++)
        {
            var item = person.Items[n];
            if ((uint)item >= (uint)ItemCount) continue;
            for (var m = _offsets[item]; m < _offsets[item + 1]; m++)
                scores.Add(_neighbours[m], person.Values[n] * _weights[m]);
        }
        return scores;
    }
}
