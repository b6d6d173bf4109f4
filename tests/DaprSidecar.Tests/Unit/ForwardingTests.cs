using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Tests.Unit;

public class ForwardingTests
{
    [TestCase(null, 0, false)]
    [TestCase("", 0, false)]
    [TestCase("nonsense", 0, false)]
    [TestCase("-1; ring", 0, false)]
    [TestCase("1; ring", 1, true)]
    [TestCase("2; holder", 2, false)]
    [TestCase("3", 3, true)]
    public void The_header_reads_back_as_hops_and_reason(string? header, int hops, bool sentByRing)
    {
        Assert.That(Forwarding.Parse(header), Is.EqualTo(new Forwarding(hops, sentByRing)));
    }

    [Test]
    public void Each_hop_counts_and_says_whether_it_goes_to_the_holder()
    {
        var toHolder = Forwarding.None.Next(toHolder: false).Next(toHolder: true);

        Assert.That(Forwarding.Parse(toHolder.ToString()), Is.EqualTo(new Forwarding(2, SentByRing: false)));
    }
}
