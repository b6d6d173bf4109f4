using Personalization.Segmentation.Segments.Rfm;

namespace Personalization.Segmentation.Tests.Segments;

public class RfmTests
{
    [Test]
    public void Distinct_values_fill_the_quintiles_evenly()
    {
        Assert.That(RfmScores.Quintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), Is.EqualTo(new[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }));
        Assert.That(RfmScores.Quintiles([30, 10, 20]), Is.EqualTo(new[] { 4, 1, 2 }), "scores follow the values, not the input order");
    }

    [Test]
    public void Equal_values_share_the_score_of_their_mid_rank()
    {
        // Six one-order customers hold ranks 0-5 (mid-rank 2.5: 1 + floor(5 * 2.5 / 10) = 2).
        Assert.That(RfmScores.Quintiles([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]), Is.EqualTo(new[] { 2, 2, 2, 2, 2, 2, 4, 4, 5, 5 }));
    }

    [Test]
    public void The_most_recent_customer_scores_five_for_recency()
    {
        var scores = RfmScores.Score([new(40, 1, 10), new(1, 1, 10), new(10, 1, 10), new(20, 1, 10), new(30, 1, 10)]);
        Assert.That(scores.Select(s => s.R), Is.EqualTo(new[] { 1, 5, 4, 3, 2 }));
        Assert.That(scores.Select(s => s.F).Distinct(), Is.EqualTo(new[] { 3 }), "all tied: the middle score");
    }

    [TestCase(5, 5, 5, RfmGrid.Champions)]
    [TestCase(5, 1, 1, RfmGrid.NewCustomers)]
    [TestCase(4, 1, 1, RfmGrid.Promising)]
    [TestCase(4, 2, 3, RfmGrid.PotentialLoyalists)]
    [TestCase(3, 4, 3, RfmGrid.Loyal)]
    [TestCase(3, 2, 2, RfmGrid.NeedAttention)]
    [TestCase(2, 3, 4, RfmGrid.AtRisk)]
    [TestCase(1, 5, 5, RfmGrid.CannotLoseThem)]
    [TestCase(2, 1, 2, RfmGrid.Hibernating)]
    [TestCase(1, 1, 1, RfmGrid.Lost)]
    public void Grid_cells_have_their_names(int r, int f, int m, string group) =>
        Assert.That(RfmGrid.GroupOf(new RfmScore(r, f, m)), Is.EqualTo(group));

    [Test]
    public void Every_cell_of_the_grid_belongs_to_a_group_and_every_group_has_cells()
    {
        var groups = new HashSet<string>();
        for (var r = 1; r <= 5; r++)
        for (var f = 1; f <= 5; f++)
        for (var m = 1; m <= 5; m++)
            groups.Add(RfmGrid.GroupOf(new RfmScore(r, f, m)));
        Assert.That(groups, Is.EquivalentTo(RfmGrid.Groups));
    }
}
