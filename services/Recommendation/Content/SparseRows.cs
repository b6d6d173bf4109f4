using Personalization.Recommendation.Candidates;

namespace Personalization.Recommendation.Content;

/// <summary>Sparse row vectors (CSR) over <see cref="Dimensions"/> columns: item feature vectors, one row per item.</summary>
public sealed class SparseRows(int dimensions, int[] offsets, int[] indices, float[] values)
{
    public int Dimensions { get; } = dimensions;
    public int RowCount => offsets.Length - 1;
    public ReadOnlySpan<int> Indices(int row) => indices.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);
    public ReadOnlySpan<float> Values(int row) => values.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);

    public void Save(ModelStateWriter writer)
    {
        writer.Write(Dimensions);
        writer.Write(offsets);
        writer.Write(indices);
        writer.Write(values);
    }

    public static SparseRows Load(ModelStateReader reader)
    {
        var (dimensions, offsets, indices, values) = (reader.ReadInt(), reader.ReadInts(), reader.ReadInts(), reader.ReadFloats());
        if (offsets.Length == 0 || offsets[^1] != indices.Length || indices.Length != values.Length)
            throw new InvalidDataException("the content features' offsets, indices and values do not agree");
        return new SparseRows(dimensions, offsets, indices, values);
    }

    /// <summary>row · dense.</summary>
    public float Dot(int row, ReadOnlySpan<float> dense)
    {
        var at = Indices(row);
        var weights = Values(row);
        var sum = 0f;
        for (var n = 0; n < at.Length; n++) sum += weights[n] * dense[at[n]];
        return sum;
    }

    /// <summary>dense += weight · row.</summary>
    public void AddTo(int row, float weight, Span<float> dense)
    {
        var at = Indices(row);
        var weights = Values(row);
        for (var n = 0; n < at.Length; n++) dense[at[n]] += weight * weights[n];
    }
}
