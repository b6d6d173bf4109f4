namespace Personalization.Segmentation.Segments.Rfm;

/// <summary>
/// The named RFM grid: recency score (rows) against the frequency–monetary score (columns), every cell in exactly one
/// group. The names are the ones marketers use (Champions, Loyal, At risk, Cannot lose them, ...); the Segmentation
/// README draws the grid.
/// </summary>
public static class RfmGrid
{
    public const string Champions = "champions", Loyal = "loyal", PotentialLoyalists = "potential-loyalists",
        NewCustomers = "new-customers", Promising = "promising", NeedAttention = "need-attention",
        AtRisk = "at-risk", CannotLoseThem = "cannot-lose-them", Hibernating = "hibernating", Lost = "lost";

    /// <summary>The group ids in the order the README lists them.</summary>
    public static readonly string[] Groups =
        [Champions, Loyal, PotentialLoyalists, NewCustomers, Promising, NeedAttention, AtRisk, CannotLoseThem, Hibernating, Lost];

    public static string GroupOf(RfmScore score) => (score.R, score.FM) switch
    {
        ( >= 4, >= 4) => Champions,
        ( >= 4, 1) => score.R == 5 ? NewCustomers : Promising,
        ( >= 4, _) => PotentialLoyalists,
        (3, >= 3) => Loyal,
        (3, _) => NeedAttention,
        (_, 5) => CannotLoseThem,
        (_, >= 3) => AtRisk,
        (2, _) => Hibernating,
        _ => Lost,
    };
}
