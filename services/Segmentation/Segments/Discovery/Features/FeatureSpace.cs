namespace Personalization.Segmentation.Segments.Discovery.Features;

/// <summary>One feature the clusterings use: how to read it, and the words for a cluster well above or below the mean.</summary>
public sealed record FeatureColumn(string Name, string Unit, Func<CustomerFeatures, double> Read, string High, string Low);

/// <summary>
/// The features clustering runs on, each log-transformed (log(1 + x), as RFM values are heavily skewed) and then
/// standardised to mean 0 and standard deviation 1, so no feature dominates the distances by its scale.
/// </summary>
public static class FeatureSpace
{
    public static readonly FeatureColumn Recency = new("recency", "days since the last order", c => c.Rfm.RecencyDays, "lapsed", "recent");
    public static readonly FeatureColumn Frequency = new("frequency", "orders", c => c.Rfm.Frequency, "frequent", "one-off");
    public static readonly FeatureColumn Monetary = new("monetary", "spent", c => c.Rfm.Monetary, "big spenders", "small spenders");
    public static readonly FeatureColumn Sessions = new("sessions", "sessions", c => c.Sessions, "many visits", "few visits");
    public static readonly FeatureColumn Tenure = new("tenure", "days since first seen", c => c.TenureDays, "long-standing", "new");

    /// <summary>RFM alone: the three features the scikit-learn comparison in bench/ uses.</summary>
    public static readonly FeatureColumn[] Rfm = [Recency, Frequency, Monetary];

    /// <summary>RFM with engagement: what the clustering segments run on.</summary>
    public static readonly FeatureColumn[] RfmWithEngagement = [Recency, Frequency, Monetary, Sessions, Tenure];

    /// <summary>Refunds can make a total negative; the log reads them as nothing spent.</summary>
    public static double Transform(double value) => Math.Log(1 + Math.Max(0, value));

    /// <summary>Each customer as a row of standardised, log-transformed features.</summary>
    public static double[][] Standardise(IReadOnlyList<CustomerFeatures> customers, IReadOnlyList<FeatureColumn> columns) =>
        Standardise(customers.Select(c => columns.Select(column => Transform(column.Read(c))).ToArray()).ToArray());

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
            for (var i = 0; i < n; i++) rows[i][j] = deviation > 0 ? (rows[i][j] - mean) / deviation : 0;
        }
        return rows;
    }
}
