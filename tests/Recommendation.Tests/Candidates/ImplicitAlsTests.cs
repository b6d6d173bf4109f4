using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Tests.Candidates;

public class ImplicitAlsTests
{
    private const int Groups = 4, UsersPerGroup = 30, ItemsPerGroup = 25;

    /// <summary>
    /// A rank-4 block structure: each user belongs to one of 4 groups and has taken 60% of that group's items, plus
    /// one stray item from another group. Returns the matrix and each user's group's items they have not taken.
    /// </summary>
    private static InteractionMatrix PlantedBlocks(out HashSet<int>[] heldOut)
    {
        var random = new Random(11);
        var entries = new List<(int, int, float)>();
        heldOut = new HashSet<int>[Groups * UsersPerGroup];
        for (var user = 0; user < Groups * UsersPerGroup; user++)
        {
            var group = user / UsersPerGroup;
            var own = Enumerable.Range(group * ItemsPerGroup, ItemsPerGroup).ToArray();
            random.Shuffle(own);
            var taken = own.Take(ItemsPerGroup * 3 / 5).ToArray();
            heldOut[user] = own.Skip(taken.Length).ToHashSet();
            entries.AddRange(taken.Select(item => (user, item, 1f + random.Next(3))));
            var stray = ((group + 1 + random.Next(Groups - 1)) % Groups) * ItemsPerGroup + random.Next(ItemsPerGroup);
            entries.Add((user, stray, 1f));
        }
        return InteractionMatrix.FromEntries(Groups * UsersPerGroup, Groups * ItemsPerGroup, entries);
    }

    [Test]
    public void Als_recovers_a_planted_low_rank_structure()
    {
        var matrix = PlantedBlocks(out var heldOut);
        var als = new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 10, Regularization = 0.1f, Alpha = 2, Seed = 3 });
        als.Fit(TrainingData.Of(matrix));

        // Every user's top 10 (without what they have) should be the 10 items of their own block they have not taken.
        var hits = 0;
        for (var user = 0; user < matrix.UserCount; user++)
            hits += als.Recommend(Person.Of(matrix, user), 10, matrix.ItemsOf(user)).Count(s => heldOut[user].Contains(s.Item));
        Assert.That(hits / (double)(10 * matrix.UserCount), Is.GreaterThan(0.95));
    }

    [Test]
    public void Als_predicts_preference_near_one_for_taken_items_and_near_zero_elsewhere()
    {
        var matrix = PlantedBlocks(out _);
        var als = new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 10, Regularization = 0.1f, Alpha = 2, Seed = 3 });
        als.Fit(TrainingData.Of(matrix));
        double taken = 0, otherBlocks = 0;
        int takenCount = 0, otherCount = 0;
        for (var user = 0; user < matrix.UserCount; user++)
            for (var item = 0; item < matrix.ItemCount; item++)
            {
                var score = Dot(als.UserFactors.AsSpan(user * 8, 8), als.ItemFactors.AsSpan(item * 8, 8));
                if (matrix.ItemsOf(user).Contains(item)) { taken += score; takenCount++; }
                else if (item / ItemsPerGroup != user / UsersPerGroup) { otherBlocks += score; otherCount++; }
            }
        Assert.That(taken / takenCount, Is.GreaterThan(0.7));
        Assert.That(Math.Abs(otherBlocks / otherCount), Is.LessThan(0.1));
    }

    [Test]
    public void A_person_folded_in_from_their_items_gets_the_vector_training_gave_them_and_new_views_move_it()
    {
        var matrix = PlantedBlocks(out _);
        var als = new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 10, Regularization = 0.1f, Alpha = 2, Seed = 3 });
        als.Fit(TrainingData.Of(matrix));
        const int user = 3;
        var trained = Person.Of(matrix, user);
        var stranger = Person.FromItems(trained.Items.Select((item, n) => (item, trained.Values[n])));

        var folded = als.VectorOf(stranger);
        Assert.That(Cosine(folded, als.VectorOf(trained)), Is.GreaterThan(0.99), "the same items solve to the same vector");
        Assert.That(als.Recommend(stranger, 5, stranger.Items).Select(s => s.Item), Is.EqualTo(als.Recommend(trained, 5, trained.Items).Select(s => s.Item)));

        // Views of another block pull the next answer towards it, without retraining.
        var otherBlock = Enumerable.Range(ItemsPerGroup, 4).Select(item => (item, 5f));
        var moved = als.Recommend(trained.With(otherBlock), 3, trained.Items);
        Assert.That(moved.Select(s => s.Item / ItemsPerGroup), Has.Some.EqualTo(1));
        Assert.That(als.Recommend(Person.Nobody, 5, []), Is.Empty, "no items and no row: nothing to rank by");
    }

    private static double Cosine(float[] a, float[] b) =>
        Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));

    [Test]
    public void Als_is_deterministic_for_a_seed_whatever_the_thread_count()
    {
        var matrix = PlantedBlocks(out _);
        var one = new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 3, Seed = 5, MaxDegreeOfParallelism = 1 });
        var two = new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 3, Seed = 5, MaxDegreeOfParallelism = 2 });
        var other = new ImplicitAls(new ImplicitAls.Options { Factors = 8, Iterations = 3, Seed = 6, MaxDegreeOfParallelism = 2 });
        one.Fit(TrainingData.Of(matrix));
        two.Fit(TrainingData.Of(matrix));
        other.Fit(TrainingData.Of(matrix));
        Assert.That(two.UserFactors, Is.EqualTo(one.UserFactors));
        Assert.That(two.ItemFactors, Is.EqualTo(one.ItemFactors));
        Assert.That(other.ItemFactors, Is.Not.EqualTo(one.ItemFactors));
    }

    [Test]
    public void Conjugate_gradient_solves_the_normal_equations_of_one_user()
    {
        // With as many CG steps as factors, CG is exact: compare with a direct solve of
        // (YᵀY + Yᵀ(C_u − I)Y + λI) x = YᵀC_u p_u, in double precision.
        const int f = 5, items = 12;
        const float lambda = 0.3f, alpha = 2f;
        var random = new Random(1);
        var y = Enumerable.Range(0, items * f).Select(_ => random.NextSingle() - 0.5f).ToArray();
        int[] columns = [1, 4, 7, 10];
        float[] values = [1f, 3f, 0.5f, 2f];
        var als = new ImplicitAls(new ImplicitAls.Options { Factors = f, Regularization = lambda, Alpha = alpha, CgSteps = 2 * f });

        var gram = ImplicitAls.Gram(y, items, f, 2);
        for (var a = 0; a < f; a++) gram[a * f + a] += lambda;
        var x = new float[f];
        als.Solve(x, y, f, gram, columns, values, new float[3 * f], 2 * f);

        var a2 = new double[f, f];
        var b = new double[f];
        for (var i = 0; i < items; i++)
        {
            var n = Array.IndexOf(columns, i);
            var c = n >= 0 ? 1 + alpha * values[n] : 1;
            for (var r = 0; r < f; r++)
            {
                if (n >= 0) b[r] += c * y[i * f + r];
                for (var s = 0; s < f; s++) a2[r, s] += c * y[i * f + r] * y[i * f + s];
            }
        }
        for (var r = 0; r < f; r++) a2[r, r] += lambda;
        var expected = SolveDense(a2, b);
        Assert.That(x.Select(v => (double)v), Is.EqualTo(expected).Within(1e-3));
    }

    [Test]
    public void Top_items_ranks_dot_products_and_skips_excluded_items()
    {
        float[] items = [1, 0, 0, 1, 1, 1, -1, 0];
        var top = ImplicitAls.TopItems(items, 2, [2f, 1f], 3, [2]);
        Assert.That(top, Is.EqualTo(new[] { new ScoredItem(0, 2f), new ScoredItem(1, 1f), new ScoredItem(3, -2f) }));
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var n = 0; n < a.Length; n++) sum += a[n] * b[n];
        return sum;
    }

    private static double[] SolveDense(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (var c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (var r = 0; r < n; r++)
            {
                if (r == col) continue;
                var factor = m[r, col] / m[col, col];
                for (var c = 0; c < n; c++) m[r, c] -= factor * m[col, c];
                x[r] -= factor * x[col];
            }
        }
        for (var r = 0; r < n; r++) x[r] /= m[r, r];
        return x;
    }
}
