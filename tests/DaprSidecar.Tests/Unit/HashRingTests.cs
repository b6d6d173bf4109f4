using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Tests.Unit;

public class HashRingTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 20_000).Select(i => $"ProfileActor||tenant/user:{i}")];

    [Test]
    public void Every_host_gets_a_near_equal_share()
    {
        var ring = new HashRing(["http://10.0.0.1:3500", "http://10.0.0.2:3500", "http://10.0.0.3:3500"]);

        var shares = Keys.GroupBy(k => ring.OwnerOf(k)).ToDictionary(g => g.Key!, g => g.Count() / (double)Keys.Length);

        Assert.That(shares.Keys, Is.EquivalentTo(ring.Hosts));
        Assert.That(shares.Values, Is.All.InRange(0.25, 0.42), string.Join(", ", shares.Select(s => $"{s.Key} {s.Value:P1}")));
    }

    [Test]
    public void The_same_hosts_in_any_order_give_the_same_owners()
    {
        var one = new HashRing(["b", "a", "c"]);
        var other = new HashRing(["c", "a", "b", "a"]);

        Assert.That(Keys.Select(other.OwnerOf), Is.EqualTo(Keys.Select(one.OwnerOf)));
    }

    [Test]
    public void A_host_joining_takes_only_its_share_and_nothing_moves_between_the_others()
    {
        var before = new HashRing(["a", "b"]);
        var after = new HashRing(["a", "b", "c"]);

        var moved = Keys.Where(k => before.OwnerOf(k) != after.OwnerOf(k)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(moved.Select(after.OwnerOf), Is.All.EqualTo("c"), "keys that moved went to the new host");
            Assert.That(moved.Count / (double)Keys.Length, Is.InRange(0.25, 0.42), "about a third moved");
        });
    }

    [Test]
    public void An_empty_ring_owns_nothing()
    {
        Assert.That(new HashRing([]).OwnerOf("any"), Is.Null);
    }
}
