namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>How many principal components a clustering ran on, of how many features, and the share of the variance they keep.</summary>
public sealed record PcaSummary(int Components, int Features, double ExplainedVariance);

/// <summary>
/// Principal component analysis of centred rows: the covariance matrix's eigenvectors (by cyclic Jacobi rotations,
/// exact for the handful of features customers have), largest eigenvalue first.
/// </summary>
public static class PrincipalComponents
{
    /// <summary>
    /// The rows (centred, as standardised rows are) projected onto the fewest components whose eigenvalues reach
    /// <paramref name="keptVariance"/> of the total, and never fewer than two.
    /// </summary>
    public static (double[][] Points, PcaSummary Summary) Project(double[][] rows, double keptVariance)
    {
        var d = rows[0].Length;
        var (values, vectors) = Eigen(Covariance(rows));
        var order = Enumerable.Range(0, d).OrderByDescending(k => values[k]).ToArray();
        var total = values.Sum(v => Math.Max(0, v));
        int kept = 0;
        double explained = 0;
        while (kept < d && (kept < 2 || explained < keptVariance * total)) explained += Math.Max(0, values[order[kept++]]);
        var points = new double[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            var point = points[i] = new double[kept];
            for (var k = 0; k < kept; k++)
                for (var j = 0; j < d; j++) point[k] += rows[i][j] * vectors[j, order[k]];
        }
        return (points, new PcaSummary(kept, d, total > 0 ? explained / total : 1));
    }

    /// <summary>The (population) covariance of centred rows.</summary>
    public static double[,] Covariance(double[][] rows)
    {
        var d = rows[0].Length;
        var covariance = new double[d, d];
        foreach (var row in rows)
            for (var a = 0; a < d; a++)
                for (var b = a; b < d; b++) covariance[a, b] += row[a] * row[b];
        for (var a = 0; a < d; a++)
            for (var b = a; b < d; b++) covariance[b, a] = covariance[a, b] /= rows.Length;
        return covariance;
    }

    /// <summary>Eigenvalues and eigenvectors (as columns) of a symmetric matrix, which is left unchanged.</summary>
    public static (double[] Values, double[,] Vectors) Eigen(double[,] symmetric)
    {
        var d = symmetric.GetLength(0);
        var a = (double[,])symmetric.Clone();
        var v = new double[d, d];
        for (var i = 0; i < d; i++) v[i, i] = 1;
        for (var sweep = 0; sweep < 100 && OffDiagonal(a) > 1e-22 * Math.Max(1, Diagonal(a)); sweep++)
            for (var p = 0; p < d - 1; p++)
                for (var q = p + 1; q < d; q++)
                {
                    if (a[p, q] == 0) continue;
                    // The rotation that zeroes a[p, q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
                    var tau = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(tau == 0 ? 1 : tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    var c = 1 / Math.Sqrt(1 + t * t);
                    var s = t * c;
                    for (var k = 0; k < d; k++)
                    {
                        var (akp, akq) = (a[k, p], a[k, q]);
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (var k = 0; k < d; k++)
                    {
                        var (apk, aqk) = (a[p, k], a[q, k]);
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (var k = 0; k < d; k++)
                    {
                        var (vkp, vkq) = (v[k, p], v[k, q]);
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        return (Enumerable.Range(0, d).Select(i => a[i, i]).ToArray(), v);
    }

    private static double OffDiagonal(double[,] a)
    {
        double sum = 0;
        for (var i = 0; i < a.GetLength(0); i++)
            for (var j = 0; j < a.GetLength(0); j++) if (i != j) sum += a[i, j] * a[i, j];
        return sum;
    }

    private static double Diagonal(double[,] a)
    {
        double sum = 0;
        for (var i = 0; i < a.GetLength(0); i++) sum += a[i, i] * a[i, i];
        return sum;
    }
}
