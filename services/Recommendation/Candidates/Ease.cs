// EASE, Steck 2019 ("Embarrassingly Shallow Autoencoders for Sparse Data"): closed-form item-item weights B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹. Fit O(nnz·|row| + n³), Recommend O(|person|·K + c log k).
using System.Numerics.Tensors;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// EASE (Steck 2019): the item-item weight matrix B that best reconstructs X from X·B with a zero diagonal, in closed
/// form: P = (XᵀX + λI)⁻¹, B_ij = −P_ij / P_jj (i ≠ j). X is 0/1 by default; a person's score for j is
/// Σ_{i ∈ person} r_i·B_ij (with their weights, or 0/1 like X). The inverse is dense, n² floats and O(n³) time, so
/// a catalogue above <see cref="Options.MaxItems"/> items is refused; each row of B then keeps its
/// <see cref="Options.Neighbours"/> largest weights, which makes the model compact and a request O(|person|·K).
/// </summary>
public sealed class Ease(Ease.Options? options = null) : ICandidateGenerator, IItemScorer
{
    /// <summary>Defaults chosen on MovieLens' validation splits (see the service README); Online Retail's validation is flat over λ 200–800.</summary>
    public sealed record Options
    {
        public static readonly Options Default = new();

        /// <summary>λ on the Gram matrix's diagonal.</summary>
        public float Regularization { get; init; } = 400f;

        /// <summary>Weights kept per item (the largest).</summary>
        public int Neighbours { get; init; } = 300;

        /// <summary>X as who had what (0/1) rather than the weights.</summary>
        public bool BinaryInput { get; init; } = true;

        /// <summary>Above this many items the dense inverse costs too much memory and time, and Fit refuses.</summary>
        public int MaxItems { get; init; } = 8_000;

        public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    }

    private readonly Options _options = options ?? new Options();

    public string Name => "ease";

    public ItemNeighbours Weights { get; private set; } = ItemNeighbours.Empty;

    public void Fit(TrainingData data)
    {
        var matrix = data.Matrix;
        var n = matrix.ItemCount;
        if (n > _options.MaxItems)
            throw new InvalidOperationException($"EASE inverts an items × items matrix: {n:N0} items is more than its limit of {_options.MaxItems:N0}");

        var p = Gram(data, n);
        for (var i = 0; i < n; i++) p[(long)i * n + i] += _options.Regularization;
        InvertInPlace(p, n, _options.MaxDegreeOfParallelism);

        var lists = new ScoredItem[n][];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, () => new float[n], (i, _, row) =>
        {
            // Row i of B: B_ij = −P_ij / P_jj; P is symmetric, so row i of P is column i.
            for (var j = 0; j < n; j++) row[j] = j == i ? float.NegativeInfinity : -p[(long)i * n + j] / p[(long)j * n + j];
            lists[i] = TopK.Select(row, _options.Neighbours).Where(s => s.Score > 0).ToArray();
            return row;
        }, _ => { });
        Weights = ItemNeighbours.From(lists);
    }

    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude) => Weights.Recommend(Input(person), k, exclude);

    public void Score(Person person, ReadOnlySpan<int> items, Span<float> scores) => Weights.Score(Input(person), items, scores);

    private Person Input(Person person) => _options.BinaryInput ? person with { Values = Ones(person.Values.Length) } : person;

    public void Save(ModelStateWriter writer) => Weights.Save(writer);

    public void Load(ModelStateReader reader, TrainingData data) => Weights = ItemNeighbours.Load(reader);

    private static float[] Ones(int length)
    {
        var ones = new float[length];
        Array.Fill(ones, 1f);
        return ones;
    }

    /// <summary>XᵀX, dense, from each user's row: O(Σ_u |row_u|²).</summary>
    private float[] Gram(TrainingData data, int n)
    {
        var matrix = data.Matrix;
        var gram = new float[(long)n * n];
        for (var user = 0; user < matrix.UserCount; user++)
        {
            var items = matrix.ItemsOf(user);
            var values = matrix.ValuesOfUser(user);
            for (var a = 0; a < items.Length; a++)
            {
                var va = _options.BinaryInput ? 1f : values[a];
                var row = (long)items[a] * n;
                for (var b = 0; b < items.Length; b++)
                    gram[row + items[b]] += va * (_options.BinaryInput ? 1f : values[b]);
            }
        }
        return gram;
    }

    /// <summary>
    /// Gauss–Jordan inversion of a symmetric positive definite matrix in place (no pivoting needed: every pivot is
    /// positive). Each step updates the other rows in parallel with one vectorised multiply-add per row. O(n³).
    /// </summary>
    internal static void InvertInPlace(float[] a, int n, int parallelism)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        var pivotRow = new float[n];
        for (var k = 0; k < n; k++)
        {
            var rowK = a.AsSpan((int)((long)k * n), n);
            var pivot = rowK[k];
            if (!(pivot > 0)) throw new InvalidOperationException("EASE's Gram matrix is not positive definite; raise the regularization");
            rowK[k] = 1f;
            TensorPrimitives.Divide(rowK, pivot, rowK);
            rowK.CopyTo(pivotRow);
            Parallel.For(0, n, parallel, i =>
            {
                if (i == k) return;
                var row = a.AsSpan((int)((long)i * n), n);
                var factor = row[k];
                if (factor == 0) return;
                row[k] = 0f;
                TensorPrimitives.MultiplyAdd(pivotRow, -factor, row, row);
            });
        }
    }
}
