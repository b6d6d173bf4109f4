// Implicit-feedback ALS, Hu, Koren & Volinsky 2008, solved by conjugate gradient (Takács, Pilászy & Tikk 2011). O(iterations · (f²·(users + items)·(1 + CG steps) + CG steps·f·nnz)).
using System.Buffers;
using System.Numerics.Tensors;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Implicit-feedback ALS (Hu, Koren &amp; Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets"):
/// minimise Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) with p_ui = 1 where r_ui &gt; 0, else 0, and
/// confidence c_ui = 1 + α·r_ui (or 1 + α·log(1 + r_ui/ε)). Each half-step solves every row's normal equations
/// (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = YᵀC_u p_u with a few conjugate-gradient steps warm-started from the previous
/// x_u (Takács, Pilászy &amp; Tikk 2011), using the shared YᵀY so only the user's own items are touched.
/// Per iteration O(f²·n + s·(f²·n + f·nnz)) for f factors, n users + items and s CG steps; rows run in parallel.
/// Deterministic for a seed: each row is solved from fixed inputs whatever the thread that runs it, and YᵀY is
/// summed over a fixed partition.
/// </summary>
public sealed class ImplicitAls(ImplicitAls.Options? options = null) : ICandidateGenerator, IItemScorer
{
    public sealed record Options
    {
        public static readonly Options Default = new();

        public int Factors { get; init; } = 64;
        public int Iterations { get; init; } = 15;

        /// <summary>λ.</summary>
        public float Regularization { get; init; } = 0.1f;

        /// <summary>α in the confidence.</summary>
        public float Alpha { get; init; } = 1f;

        /// <summary>ε for the log confidence; null for the linear one.</summary>
        public float? LogEpsilon { get; init; }

        /// <summary>Conjugate-gradient steps per row and half-step (3 in Takács et al. and in the implicit library).</summary>
        public int CgSteps { get; init; } = 3;

        /// <summary>
        /// CG steps when a person's vector is solved at request time from their items (someone new, or with activity
        /// since training): from the trained vector or from zero, so more steps than a warm half-step needs.
        /// </summary>
        public int FoldInSteps { get; init; } = 10;

        public int Seed { get; init; } = 42;
        public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    }

    private readonly Options _options = options ?? new Options();
    public string Name => "als";
    public int Factors => _options.Factors;

    /// <summary>UserCount × Factors, row-major.</summary>
    public float[] UserFactors { get; private set; } = [];

    /// <summary>ItemCount × Factors, row-major.</summary>
    public float[] ItemFactors { get; private set; } = [];

    /// <summary>YᵀY + λI over the item factors, for solving a person's vector at request time.</summary>
    private float[] _itemGram = [];

    public void Fit(TrainingData data)
    {
        var interactions = data.Matrix;
        var f = _options.Factors;
        var random = new Random(_options.Seed);
        UserFactors = new float[interactions.UserCount * f];
        ItemFactors = new float[interactions.ItemCount * f];
        for (var n = 0; n < UserFactors.Length; n++) UserFactors[n] = random.NextSingle() * 0.01f;
        for (var n = 0; n < ItemFactors.Length; n++) ItemFactors[n] = random.NextSingle() * 0.01f;

        for (var iteration = 0; iteration < _options.Iterations; iteration++)
        {
            HalfStep(UserFactors, ItemFactors, interactions.UserCount, interactions.ItemCount, interactions.ItemsOf, interactions.ValuesOfUser);
            HalfStep(ItemFactors, UserFactors, interactions.ItemCount, interactions.UserCount, interactions.UsersOf, interactions.ValuesOfItem);
        }
        _itemGram = RegularizedGram(ItemFactors, interactions.ItemCount);
    }

    private float[] RegularizedGram(float[] factors, int rows)
    {
        var f = _options.Factors;
        var gram = Gram(factors, rows, f, _options.MaxDegreeOfParallelism);
        for (var a = 0; a < f; a++) gram[a * f + a] += _options.Regularization;
        return gram;
    }

    private delegate ReadOnlySpan<int> Indices(int row);
    private delegate ReadOnlySpan<float> Weights(int row);

    private void HalfStep(float[] solve, float[] fixedFactors, int rows, int fixedRows, Indices indices, Weights weights)
    {
        var f = _options.Factors;
        var gram = RegularizedGram(fixedFactors, fixedRows);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        Parallel.For(0, rows, parallel,
            () => new float[3 * f],
            (row, _, scratch) =>
            {
                var columns = indices(row);
                var values = weights(row);
                Solve(solve.AsSpan(row * f, f), fixedFactors, f, gram, columns, values, scratch, _options.CgSteps);
                return scratch;
            },
            _ => { });
    }

    /// <summary>c_ui − 1 for a weight.</summary>
    private float ExtraConfidence(float weight) =>
        _options.LogEpsilon is { } epsilon ? _options.Alpha * MathF.Log(1 + weight / epsilon) : _options.Alpha * weight;

    /// <summary>A few CG steps on (G + Σ_i (c_i − 1) y_i y_iᵀ) x = Σ_i c_i y_i, from the current x.</summary>
    internal void Solve(Span<float> x, ReadOnlySpan<float> fixedFactors, int f, ReadOnlySpan<float> gram,
        ReadOnlySpan<int> columns, ReadOnlySpan<float> values, Span<float> scratch, int steps)
    {
        var r = scratch[..f];
        var p = scratch.Slice(f, f);
        var ap = scratch.Slice(2 * f, f);

        // r = b − A x
        MultiplyMatrix(gram, x, r, f);
        TensorPrimitives.Negate(r, r);
        for (var n = 0; n < columns.Length; n++)
        {
            var y = fixedFactors.Slice(columns[n] * f, f);
            var extra = ExtraConfidence(values[n]);
            TensorPrimitives.MultiplyAdd(y, 1 + extra - extra * TensorPrimitives.Dot(y, x), r, r);
        }

        r.CopyTo(p);
        var rsOld = TensorPrimitives.Dot(r, r);
        for (var step = 0; step < steps && rsOld > 1e-20f; step++)
        {
            MultiplyMatrix(gram, p, ap, f);
            for (var n = 0; n < columns.Length; n++)
            {
                var y = fixedFactors.Slice(columns[n] * f, f);
                TensorPrimitives.MultiplyAdd(y, ExtraConfidence(values[n]) * TensorPrimitives.Dot(y, p), ap, ap);
            }
            var pAp = TensorPrimitives.Dot(p, ap);
            if (pAp <= 0) break;
            var alpha = rsOld / pAp;
            TensorPrimitives.MultiplyAdd(p, alpha, x, x);
            TensorPrimitives.MultiplyAdd(ap, -alpha, r, r);
            var rsNew = TensorPrimitives.Dot(r, r);
            // p = r + (rsNew / rsOld) p
            TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
            rsOld = rsNew;
        }
    }

    private static void MultiplyMatrix(ReadOnlySpan<float> matrix, ReadOnlySpan<float> vector, Span<float> result, int f)
    {
        for (var a = 0; a < f; a++)
            result[a] = TensorPrimitives.Dot(matrix.Slice(a * f, f), vector);
    }

    /// <summary>
    /// YᵀY (f × f) over the first <paramref name="rows"/> rows of Y, summed per chunk and then in chunk order. The
    /// chunks are fixed, not one per thread, so the result depends neither on scheduling nor on the thread count.
    /// O(rows·f²).
    /// </summary>
    public static float[] Gram(float[] factors, int rows, int f, int parallelism)
    {
        const int Chunks = 16;
        var chunks = Math.Max(1, Math.Min(Chunks, rows));
        var partial = new float[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, chunk =>
        {
            var sum = new float[f * f];
            var from = (int)((long)rows * chunk / chunks);
            var to = (int)((long)rows * (chunk + 1) / chunks);
            for (var row = from; row < to; row++)
            {
                var y = factors.AsSpan(row * f, f);
                for (var a = 0; a < f; a++)
                {
                    var target = sum.AsSpan(a * f, f);
                    TensorPrimitives.MultiplyAdd(y, y[a], target, target);
                }
            }
            partial[chunk] = sum;
        });
        var gram = partial[0];
        for (var chunk = 1; chunk < chunks; chunk++) TensorPrimitives.Add(gram, partial[chunk], gram);
        return gram;
    }

    /// <summary>
    /// The person's factor vector: the trained one when they are as trained, else solved from their items (the
    /// fold-in of Hu et al. §4), warm-started from the trained vector when they have one.
    /// </summary>
    public float[] VectorOf(Person person)
    {
        var f = _options.Factors;
        var trained = person.Row >= 0 && person.Row * f < UserFactors.Length;
        var x = trained ? UserFactors.AsSpan(person.Row * f, f).ToArray() : new float[f];
        if (person.AsTrained && trained) return x;
        Solve(x, ItemFactors, f, _itemGram, person.Items, person.Values, new float[3 * f], _options.FoldInSteps);
        return x;
    }

    public void Save(ModelStateWriter writer)
    {
        writer.Write(UserFactors);
        writer.Write(ItemFactors);
    }

    public void Load(ModelStateReader reader, TrainingData data)
    {
        UserFactors = reader.ReadFloats();
        ItemFactors = reader.ReadFloats();
        var f = _options.Factors;
        if (UserFactors.Length != data.Matrix.UserCount * f || ItemFactors.Length != data.Matrix.ItemCount * f)
            throw new InvalidDataException($"the ALS factors do not fit {data.Matrix.UserCount} users and {data.Matrix.ItemCount} items with {f} factors");
        _itemGram = RegularizedGram(ItemFactors, data.Matrix.ItemCount);
    }

    public void Score(Person person, ReadOnlySpan<int> items, Span<float> scores)
    {
        var f = _options.Factors;
        var x = VectorOf(person);
        for (var n = 0; n < items.Length; n++)
            scores[n] = TensorPrimitives.Dot(ItemFactors.AsSpan(items[n] * f, f), x);
    }

    /// <summary>Nothing for someone with neither items nor a trained vector: an all-zero vector ranks nothing.</summary>
    public ScoredItem[] Recommend(Person person, int k, ReadOnlySpan<int> exclude) =>
        person.Items.Length == 0 && person.Row < 0 ? [] : Recommend(VectorOf(person), k, exclude);

    /// <summary>Top k for any user vector (a fold-in, or a synthetic one in a benchmark).</summary>
    public ScoredItem[] Recommend(ReadOnlySpan<float> user, int k, ReadOnlySpan<int> exclude) =>
        TopItems(ItemFactors, _options.Factors, user, k, exclude);

    /// <summary>
    /// scores[i] = y_i·x for every item row. Memory-bound at scale (100k × 64 floats is 25.6 MB read per user): a
    /// hand-unrolled Vector&lt;T&gt; kernel measured no faster here than a TensorPrimitives.Dot per row, so this stays simple.
    /// </summary>
    public static void Score(ReadOnlySpan<float> itemFactors, int f, ReadOnlySpan<float> user, Span<float> scores)
    {
        for (var item = 0; item < scores.Length; item++)
            scores[item] = TensorPrimitives.Dot(itemFactors.Slice(item * f, f), user);
    }

    /// <summary>Brute-force top k of the dot products of one user vector with every item row. O(n·f + n log k).</summary>
    public static ScoredItem[] TopItems(ReadOnlySpan<float> itemFactors, int f, ReadOnlySpan<float> user, int k, ReadOnlySpan<int> exclude)
    {
        var itemCount = itemFactors.Length / f;
        var scores = ArrayPool<float>.Shared.Rent(itemCount);
        try
        {
            var span = scores.AsSpan(0, itemCount);
            Score(itemFactors, f, user, span);
            TopK.Exclude(span, exclude);
            return TopK.Select(span, k);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
