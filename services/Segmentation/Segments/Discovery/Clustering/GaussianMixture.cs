namespace Personalization.Segmentation.Segments.Discovery.Clustering;

/// <summary>
/// A mixture of Gaussians with full covariances: each component's weight, mean and covariance, each point's
/// probability of belonging to each component (soft membership), the log-likelihood and the Bayesian information
/// criterion (lower is better) by which the number of components is chosen.
/// </summary>
public sealed record MixtureFit(double[] Weights, double[][] Means, double[][,] Covariances, double[][] Memberships, double LogLikelihood, double Bic, int Iterations, bool Converged)
{
    public int Components => Weights.Length;

    /// <summary>Each point's most likely component, as a hard partition.</summary>
    public ClusterFit Hard()
    {
        var labels = Memberships.Select(m => Array.IndexOf(m, m.Max())).ToArray();
        return new ClusterFit(labels, Means);
    }
}

/// <summary>
/// Fits a Gaussian mixture by expectation–maximisation, started from K-Means (as scikit-learn does), with a small
/// ridge on the covariances (1e-6) so a component cannot collapse onto a point, stopping when the mean log-likelihood
/// per point gains less than 1e-3.
/// </summary>
public static class GaussianMixture
{
    public const double Ridge = 1e-6;
    public const double Tolerance = 1e-3;
    public const int MaxIterations = 100;

    public static MixtureFit Fit(double[][] points, int components, int seed) =>
        Fit(points, KMeansClustering.Fit(points, components, seed, restarts: 1).Labels, components);

    /// <summary>EM from a starting partition of the points into <paramref name="components"/> groups.</summary>
    public static MixtureFit Fit(double[][] points, int[] start, int components)
    {
        var (n, d) = (points.Length, points[0].Length);
        var memberships = new double[n][];
        for (var i = 0; i < n; i++)
        {
            memberships[i] = new double[components];
            memberships[i][Math.Clamp(start[i], 0, components - 1)] = 1;
        }
        var (weights, means, covariances) = Maximise(points, memberships, components);
        var previous = double.NegativeInfinity;
        var (logLikelihood, iterations, converged) = (0.0, 0, false);
        while (iterations < MaxIterations)
        {
            iterations++;
            logLikelihood = Expect(points, weights, means, covariances, memberships);
            if (Math.Abs(logLikelihood / n - previous / n) < Tolerance) { converged = true; break; }
            previous = logLikelihood;
            (weights, means, covariances) = Maximise(points, memberships, components);
        }
        var parameters = components - 1 + components * d + components * d * (d + 1) / 2;
        return new MixtureFit(weights, means, covariances, memberships, logLikelihood, -2 * logLikelihood + parameters * Math.Log(n), iterations, converged);
    }

    /// <summary>The E step: each point's membership probabilities under the current parameters; returns the log-likelihood.</summary>
    private static double Expect(double[][] points, double[] weights, double[][] means, double[][,] covariances, double[][] memberships)
    {
        var components = weights.Length;
        var d = means[0].Length;
        var factors = covariances.Select(Cholesky).ToArray();
        var logNormalisers = Enumerable.Range(0, components).Select(k =>
        {
            var logDeterminant = 0.0;
            for (var j = 0; j < d; j++) logDeterminant += 2 * Math.Log(factors[k][j, j]);
            return Math.Log(weights[k]) - 0.5 * (d * Math.Log(2 * Math.PI) + logDeterminant);
        }).ToArray();

        var total = 0.0;
        var gate = new object();
        Parallel.For(0, points.Length, () => (0.0, new double[d]), (i, _, local) =>
        {
            var (sum, work) = local;
            var row = memberships[i];
            var max = double.NegativeInfinity;
            for (var k = 0; k < components; k++)
            {
                row[k] = logNormalisers[k] - 0.5 * Mahalanobis(points[i], means[k], factors[k], work);
                max = Math.Max(max, row[k]);
            }
            var norm = 0.0;
            for (var k = 0; k < components; k++) norm += Math.Exp(row[k] - max);
            var logSum = max + Math.Log(norm);
            for (var k = 0; k < components; k++) row[k] = Math.Exp(row[k] - logSum);
            return (sum + logSum, work);
        }, local => { lock (gate) total += local.Item1; });
        return total;
    }

    /// <summary>The M step: weights, means and covariances from the membership probabilities.</summary>
    private static (double[] Weights, double[][] Means, double[][,] Covariances) Maximise(double[][] points, double[][] memberships, int components)
    {
        var (n, d) = (points.Length, points[0].Length);
        var mass = new double[components];
        var means = new double[components][];
        for (var k = 0; k < components; k++) means[k] = new double[d];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < components; k++)
            {
                var r = memberships[i][k];
                if (r == 0) continue;
                mass[k] += r;
                for (var j = 0; j < d; j++) means[k][j] += r * points[i][j];
            }
        var covariances = new double[components][,];
        Parallel.For(0, components, k =>
        {
            var m = Math.Max(mass[k], double.Epsilon);
            for (var j = 0; j < d; j++) means[k][j] /= m;
            var c = new double[d, d];
            var diff = new double[d];
            for (var i = 0; i < n; i++)
            {
                var r = memberships[i][k];
                if (r == 0) continue;
                for (var j = 0; j < d; j++) diff[j] = points[i][j] - means[k][j];
                for (var a = 0; a < d; a++)
                    for (var b = 0; b <= a; b++) c[a, b] += r * diff[a] * diff[b];
            }
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b <= a; b++) c[b, a] = c[a, b] /= m;
                c[a, a] += Ridge;
            }
            covariances[k] = c;
        });
        // A component that lost every point keeps a sliver of weight, so its log stays finite.
        var weights = mass.Select(m => Math.Max(m, 1e-12) / n).ToArray();
        return (weights, means, covariances);
    }

    /// <summary>(x − μ)ᵀ Σ⁻¹ (x − μ) through Σ's Cholesky factor L: the squared length of L⁻¹(x − μ).</summary>
    private static double Mahalanobis(double[] x, double[] mean, double[,] factor, double[] work)
    {
        var d = mean.Length;
        var sum = 0.0;
        for (var j = 0; j < d; j++)
        {
            var v = x[j] - mean[j];
            for (var k = 0; k < j; k++) v -= factor[j, k] * work[k];
            work[j] = v / factor[j, j];
            sum += work[j] * work[j];
        }
        return sum;
    }

    /// <summary>The lower-triangular L with L Lᵀ = Σ.</summary>
    private static double[,] Cholesky(double[,] covariance)
    {
        var d = covariance.GetLength(0);
        var l = new double[d, d];
        for (var j = 0; j < d; j++)
        {
            var diagonal = covariance[j, j];
            for (var k = 0; k < j; k++) diagonal -= l[j, k] * l[j, k];
            l[j, j] = Math.Sqrt(Math.Max(diagonal, Ridge));
            for (var i = j + 1; i < d; i++)
            {
                var v = covariance[i, j];
                for (var k = 0; k < j; k++) v -= l[i, k] * l[j, k];
                l[i, j] = v / l[j, j];
            }
        }
        return l;
    }
}
