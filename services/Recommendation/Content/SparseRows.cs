namespace Personalization.Recommendation.Content;

/// <summary>Sparse row vectors (CSR) over <see cref="Dimensions"/> columns: item feature vectors, one row per item.</summary>
public sealed class SparseRows(int dimensions, int[] offsets, int[] indices, float[] values)
{
    public int Dimensions { get; } = dimensions;
    public int RowCount => offsets.Length - 1;
    public ReadOnlySpan<int> Indices(int row) => indices.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);
    public ReadOnlySpan<float> Values(int row) => values.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);

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
