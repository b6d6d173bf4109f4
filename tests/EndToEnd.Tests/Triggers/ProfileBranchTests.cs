using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;
using static Personalization.EndToEnd.Tests.Triggers.TriggersCalls;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>A journey that branches on the person's profile as Segmentation keeps it: a trait and the cart's value.</summary>
public class ProfileBranchTests
{
    [Test]
    public async Task A_branch_on_a_trait_and_the_cart_value_sends_each_person_the_email_their_profile_calls_for()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/big-pro-cart", new { name = "Pro cart", channel = "email", subject = "Your pro cart", text = "Hello" });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/templates/any-cart", new { name = "Cart", channel = "email", subject = "Your cart", text = "Hello" });
        await AdminAsync(HttpMethod.Put, $"/admin/tenants/{Tenant}/journeys/branch-{run}", new
        {
            name = "Cart by plan", entry = new Dictionary<string, object> { ["event"] = "Cart Reviewed", ["where"] = new { run } },
            steps = new object[]
            {
                new
                {
                    id = "route", @else = "plain",
                    branch = new[] { new { @if = new { and = new object[] { new { trait = "plan", equals = "pro" }, new { profile = "cartValue", gte = 100 } } }, next = "pro" } },
                },
                new { id = "plain", send = new { channel = "email", template = "any-cart" }, next = "exit" },
                new { id = "pro", send = new { channel = "email", template = "big-pro-cart" } },
            },
        });
        await AdminAsync(HttpMethod.Post, $"/admin/tenants/{Tenant}/journeys/branch-{run}/publish");

        var people = new[] { (User: $"ada-{run}", Plan: "pro", Price: 150m), (User: $"bo-{run}", Plan: "pro", Price: 20m), (User: $"cy-{run}", Plan: "free", Price: 150m) };
        await PostEventsAsync(people.SelectMany(p => new object[]
        {
            new { type = "identify", userId = p.User, messageId = $"{p.User}-identify", traits = new { email = $"{p.User}@example.com", plan = p.Plan } },
            new { type = "track", userId = p.User, messageId = $"{p.User}-add", @event = "Product Added", properties = new { product_id = "sku-1", price = p.Price, quantity = 1 } },
        }));
        // The branch reads the profile when the person reaches it: the traits and cart must be there first.
        foreach (var person in people) await Profiles.WithCountAsync(person.User, 2);
        await PostEventsAsync(people.Select(p => new { type = "track", userId = p.User, messageId = $"{p.User}-review", @event = "Cart Reviewed", properties = new { run } }));

        using var smtp = new SmtpInbox(await LocalInfrastructure.EnsureStartedAsync());
        foreach (var (user, expected) in new[] { (people[0].User, "Your pro cart"), (people[1].User, "Your cart"), (people[2].User, "Your cart") })
        {
            var received = await Eventually.ReturnsAsync(() => smtp.ToAsync($"{user}@example.com"), m => m.Count > 0, TimeSpan.FromSeconds(60), $"{user}'s email");
            Assert.That(received.Select(m => m.GetProperty("subject").GetString()), Is.EqualTo(new[] { expected }), user);
        }
    }
}
