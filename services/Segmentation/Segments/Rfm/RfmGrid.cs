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

    /// <summary>Each group's name as people read it, and what its cells mean.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string Meaning)> Descriptions = new Dictionary<string, (string, string)>
    {
        [Champions] = ("Champions", "Bought recently, buy often and spend the most."),
        [Loyal] = ("Loyal", "Buy often and spend well, but not in the last while."),
        [PotentialLoyalists] = ("Potential loyalists", "Recent customers with a few orders or an average spend."),
        [NewCustomers] = ("New customers", "Bought very recently, for the first time and little."),
        [Promising] = ("Promising", "Bought recently, once and little."),
        [NeedAttention] = ("Need attention", "Middling recency, below-average frequency and spend."),
        [AtRisk] = ("At risk", "Used to buy often and spend well, but not for a long time."),
        [CannotLoseThem] = ("Cannot lose them", "Among the best by frequency and spend, and long gone."),
        [Hibernating] = ("Hibernating", "Last bought long ago, rarely and little."),
        [Lost] = ("Lost", "The longest gone, with the fewest orders and the least spent."),
    };

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
