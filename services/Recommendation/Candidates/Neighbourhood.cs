// Neighbourhood CF: shrunk cosine (Sarwar et al. 2001; shrinkage after Koren 2008) over one side of the matrix. O(Σ over the query's entries of their other-side rows).
using System.Numerics.Tensors;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Settings of a neighbourhood method. Item-item and user-user share them; their defaults were chosen on the Online
/// Retail validation period (see the service README), never on its test month.
/// </summary>
public sealed record NeighbourhoodOptions
{
    public static readonly NeighbourhoodOptions ItemDefault = new() { Neighbours = 10, Shrinkage = 10f, BinarySimilarity = true };
    public static readonly NeighbourhoodOptions UserDefault = new() { Neighbours = 200, Shrinkage = 0f, BinarySimilarity = false };

    /// <summary>Neighbours kept per item, or aggregated per user.</summary>
    public int Neighbours { get; init; } = 10;

    /// <summary>λ, added to the denominator; in co-occurrences when <see cref="BinarySimilarity"/>.</summary>
    public float Shrinkage { get; init; }

    /// <summary>
    /// Similarity from who had what (0/1) rather than from the weights, which then only weigh the aggregation.
    /// Keeps λ in units of co-occurrences whatever the weighting and decay.
    /// </summary>
    public bool BinarySimilarity { get; init; }

    /// <summary>Threads for a fit that runs in parallel (item-item's neighbour lists).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Shrunk cosine between a query and the rows of one side of the matrix: sim(q, r) = q·r / (‖q‖‖r‖ + λ). The query is
/// given by its entries on the other side (an item by its users, a person by their items); the walk goes from each
/// entry to the rows that share it, so only overlapping rows are touched.
/// </summary>
public static class ShrunkCosine
{
    /// <summary>‖r‖ of every row of a side: √(entries) for binary similarity, else the L2 norm of the weights.</summary>
    public static float[] Norms(SparseSide rows, bool binary)
    {
        var norms = new float[rows.RowCount];
        for (var row = 0; row < norms.Length; row++)
            norms[row] = binary ? MathF.Sqrt(rows.Indices(row).Length) : TensorPrimitives.Norm(rows.Values(row));
        return norms;
    }

    /// <summary>
    /// The rows most similar to the query, best first, never <paramref name="self"/>. <paramref name="shared"/> maps
    /// each of the query's entries to the rows that have it (for items' neighbours: users to their items).
    /// </summary>
    public static ScoredItem[] Nearest(ReadOnlySpan<int> entries, ReadOnlySpan<float> weights, int self,
        SparseSide shared, float[] norms, NeighbourhoodOptions options)
    {
        var binary = options.BinarySimilarity;
        using var dot = ScoreBuffer.Rent(norms.Length);
        for (var n = 0; n < entries.Length; n++)
        {
            var rows = shared.Indices(entries[n]);
            var values = shared.Values(entries[n]);
            for (var m = 0; m < rows.Length; m++)
                dot.Add(rows[m], binary ? 1f : weights[n] * values[m]);
        }
        var queryNorm = binary ? MathF.Sqrt(entries.Length) : TensorPrimitives.Norm(weights);
        var scores = dot.Scores;
        foreach (var row in dot.Touched)
            scores[row] = row == self ? float.NegativeInfinity : scores[row] / (queryNorm * norms[row] + options.Shrinkage);
        return TopK.Select(scores, dot.Touched, options.Neighbours);
    }
}
