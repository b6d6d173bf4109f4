namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>
/// One feature the clusterings use: how to read it, whether it is log-transformed, and the words for a cluster well
/// above or below the mean.
/// </summary>
public sealed record FeatureColumn(string Name, string Unit, Func<CustomerFeatures, double> Read, string High, string Low, bool Logged = true);

/// <summary>
/// The features clusterings run on, for each customer, standardised column by column (which cluster descriptions
/// read), and the points the clusterings see: the same rows, or their principal components when there are many columns.
/// </summary>
public sealed record FeatureMatrix(IReadOnlyList<FeatureColumn> Columns, double[][] Standardised, double[][] Points, PcaSummary? Pca)
{
    public IReadOnlyList<string> Names => Columns.Select(c => c.Name).ToList();
}

/// <summary>
/// The features: counts and amounts log-transformed (log(1 + x), as RFM values are heavily skewed), shares as they
/// are, all standardised to mean 0 and standard deviation 1 so no feature dominates the distances by its scale.
/// </summary>
public static class FeatureSpace
{
    /// <summary>Categories with at least this mean share of customers' units get a column, the largest first.</summary>
    public const double MinCategoryShare = 0.02;
    public const int MaxCategories = 8;

    /// <summary>More columns than this are reduced to principal components keeping <see cref="KeptVariance"/> of the variance.</summary>
    public const int PcaAbove = 6;
    public const double KeptVariance = 0.9;

    public static readonly FeatureColumn Recency = new("recency", "days since the last order", c => c.Rfm.RecencyDays, "lapsed", "recent");
    public static readonly FeatureColumn Frequency = new("frequency", "orders", c => c.Rfm.Frequency, "frequent", "one-off");
    public static readonly FeatureColumn Monetary = new("monetary", "spent", c => c.Rfm.Monetary, "big spenders", "small spenders");
    public static readonly FeatureColumn Sessions = new("sessions", "sessions", c => c.Sessions, "many visits", "few visits");
    public static readonly FeatureColumn Tenure = new("tenure", "days since first seen", c => c.TenureDays, "long-standing", "new");

    /// <summary>RFM alone: the three features the scikit-learn comparison in bench/ uses.</summary>
    public static readonly FeatureColumn[] Rfm = [Recency, Frequency, Monetary];

    /// <summary>RFM with engagement: what every tenant's clusterings run on, with category shares where there are categories.</summary>
    public static readonly FeatureColumn[] RfmWithEngagement = [Recency, Frequency, Monetary, Sessions, Tenure];

    public static FeatureColumn CategoryShare(string category) =>
        new($"share:{category}", $"of units in {category}", c => c.CategoryShares.GetValueOrDefault(category), $"into {category}", $"little {category}", Logged: false);

    /// <summary>
    /// RFM with engagement, and a share column for each of the categories the customers buy most (when at least two
    /// reach <see cref="MinCategoryShare"/>: one category alone says nothing a customer's total does not).
    /// </summary>
    public static IReadOnlyList<FeatureColumn> ColumnsFor(IReadOnlyList<CustomerFeatures> customers)
    {
        var categories = customers.SelectMany(c => c.CategoryShares)
            .GroupBy(share => share.Key, StringComparer.Ordinal)
            .Select(g => (Category: g.Key, Mean: g.Sum(share => share.Value) / customers.Count))
            .Where(c => c.Mean >= MinCategoryShare)
            .OrderByDescending(c => c.Mean).ThenBy(c => c.Category, StringComparer.Ordinal)
            .Take(MaxCategories)
            .ToList();
        return categories.Count < 2 ? RfmWithEngagement : [.. RfmWithEngagement, .. categories.Select(c => CategoryShare(c.Category))];
    }

    /// <summary>The customers' features in <paramref name="columns"/> (by default <see cref="ColumnsFor"/>), reduced by PCA when there are many.</summary>
    public static FeatureMatrix Build(IReadOnlyList<CustomerFeatures> customers, IReadOnlyList<FeatureColumn>? columns = null)
    {
        columns ??= ColumnsFor(customers);
        var standardised = Standardise(customers, columns);
        if (columns.Count <= PcaAbove || customers.Count <= columns.Count) return new FeatureMatrix(columns, standardised, standardised, null);
        var (points, summary) = PrincipalComponents.Project(standardised, KeptVariance);
        return new FeatureMatrix(columns, standardised, points, summary);
    }

    /// <summary>Refunds can make a total negative; the log reads them as nothing spent.</summary>
    public static double Transform(double value) => Math.Log(1 + Math.Max(0, value));

    /// <summary>Each customer as a row of standardised features, log-transformed first where the column says so.</summary>
    public static double[][] Standardise(IReadOnlyList<CustomerFeatures> customers, IReadOnlyList<FeatureColumn> columns) =>
        Standardise(customers.Select(c => columns.Select(column => column.Logged ? Transform(column.Read(c)) : column.Read(c)).ToArray()).ToArray());

    /// <summary>Rows scaled column by column to mean 0 and (population) standard deviation 1; a constant column becomes 0.</summary>
    public static double[][] Standardise(double[][] rows)
    {
        var (n, d) = (rows.Length, rows.Length == 0 ? 0 : rows[0].Length);
        for (var j = 0; j < d; j++)
        {
            double mean = 0, squares = 0;
            for (var i = 0; i < n; i++) mean += rows[i][j];
            mean /= n;
            for (var i = 0; i < n; i++) squares += (rows[i][j] - mean) * (rows[i][j] - mean);
            var deviation = Math.Sqrt(squares / n);
            // Rounding leaves a constant column a deviation of about 1e-16, which would blow its noise up to ±1.
            var constant = deviation <= 1e-12 * Math.Max(1, Math.Abs(mean));
            for (var i = 0; i < n; i++) rows[i][j] = constant ? 0 : (rows[i][j] - mean) / deviation;
        }
        return rows;
    }
}
