using System.Net;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>A shopper's story, told through the tracking API and read back from their profile actor.</summary>
public class ProfileJourneyTests
{
    private static string Track(string user, int n, string @event, object properties, DateTimeOffset at) => JsonSerializer.Serialize(new
    {
        type = "track", @event, userId = user, messageId = $"{user}-{n}", timestamp = at.ToString("O"), properties,
        context = new { device = new { type = "ios" }, locale = "en-GB", location = new { country = "GB" } },
    });

    private static Task PostBatchAsync(params string[] messages) => PostBatchAsync(Ingestion, messages);

    private static async Task PostBatchAsync(TestSupport.ServiceProcess node, params string[] messages)
    {
        using var response = await node.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', messages)}}]}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>An identify that links <paramref name="anonymous"/> to <paramref name="user"/>: logging in.</summary>
    private static string Login(string user, string anonymous, DateTimeOffset at) => JsonSerializer.Serialize(new
    {
        type = "identify", userId = user, anonymousId = anonymous, messageId = $"{user}-identify", timestamp = at.ToString("O"),
        traits = new { email = $"{user}@example.com" },
    });

    /// <summary>Rebuilds every profile from the log into empty actor state; <paramref name="user"/>'s must come out as it was live.</summary>
    private static async Task AssertRebuildGivesTheLiveProfileAsync(string user)
    {
        var liveJson = (await Profiles.GetRawAsync(user)).Body;
        await RestartActorsWithEmptyStateAsync();
        await RunVerbAsync("services/Segmentation", "rebuild-profiles");
        Assert.That((await Profiles.GetRawAsync(user)).Body, Is.EqualTo(liveJson));
    }

    private static string AnonymousView(string anonymous, int n, string item, DateTimeOffset at) => JsonSerializer.Serialize(new
    {
        type = "track", @event = "Product Viewed", anonymousId = anonymous, messageId = $"{anonymous}-{n}", timestamp = at.ToString("O"),
        properties = new { product_id = item },
    });

    [Test]
    public async Task Browse_add_to_cart_and_buy_shows_in_the_profile()
    {
        var user = "shopper-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        await PostBatchAsync(
            $$$"""{"type":"identify","userId":"{{{user}}}","messageId":"{{{user}}}-0","timestamp":"{{{t0:O}}}","traits":{"email":"{{{user}}}@example.com"}}""",
            Track(user, 1, "Product Viewed", new { product_id = "sku-1", name = "Mug" }, t0.AddMinutes(1)),
            Track(user, 2, "Product Viewed", new { product_id = "sku-2", name = "Towel" }, t0.AddMinutes(2)),
            Track(user, 3, "Product Added", new { product_id = "sku-1", price = 6.5, quantity = 2 }, t0.AddMinutes(3)));

        var carted = await Profiles.WithCountAsync(user, 4);
        Assert.That(carted!.Cart["sku-1"], Is.EqualTo(new CartLine("sku-1", null, 2, 6.5m)));
        Assert.That(carted.CartValue, Is.EqualTo(13m));
        Assert.That(carted.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-2", "sku-1" }));
        Assert.That(carted.Traits["email"].GetString(), Is.EqualTo($"{user}@example.com"));

        await PostBatchAsync(Track(user, 4, "Order Completed", new { order_id = "o-1", revenue = 13 }, t0.AddMinutes(4)));

        var bought = await Profiles.WithCountAsync(user, 5);
        Assert.That(bought!.Cart, Is.Empty);
        Assert.That(bought.Purchases.Count, Is.EqualTo(1));
        Assert.That(bought.Purchases.MonetaryTotal, Is.EqualTo(13m));
        Assert.That(bought.CountsByEvent["Product Viewed"], Is.EqualTo(2));
        Assert.That(bought.SessionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Reading_a_profile_needs_a_valid_access_token()
    {
        var user = "guarded-" + Guid.NewGuid().ToString("N")[..8];
        await PostBatchAsync(Track(user, 1, "Product Viewed", new { product_id = "sku-1" }, DateTimeOffset.UtcNow));
        await Profiles.WithCountAsync(user, 1);

        var (status, body) = await Profiles.GetRawAsync(user, token: "not-a-token");
        using var anonymous = await Segmentation.Client.GetAsync($"/api/profiles/{user}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("not valid"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await anonymous.Content.ReadAsStringAsync(), Does.Contain("Authorization: Bearer"), "says how to send the token");
    }

    [Test]
    public async Task While_the_sidecar_is_down_a_profile_read_answers_503_with_retry_after_and_then_the_profile()
    {
        var user = "sidecar-down-" + Guid.NewGuid().ToString("N")[..8];
        await PostBatchAsync(Track(user, 1, "Product Viewed", new { product_id = "sku-1" }, DateTimeOffset.UtcNow));
        await Profiles.WithCountAsync(user, 1);

        await KillSidecarAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/profiles/{user}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ReadToken);
            using var response = await Segmentation.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
                Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(body, Does.Contain("Try again"));
            });
        });

        Assert.That((await Profiles.WithCountAsync(user, 1))!.EventCount, Is.EqualTo(1), "read once the sidecar is back");
    }

    [Test]
    public async Task Rebuilt_profiles_equal_the_ones_built_live()
    {
        var users = Enumerable.Range(0, 3).Select(i => $"rebuild-{i}-" + Guid.NewGuid().ToString("N")[..6]).ToList();
        var t0 = DateTimeOffset.UtcNow.AddHours(-5);
        foreach (var user in users)
            await PostBatchAsync(
                Track(user, 1, "Product Viewed", new { product_id = "sku-1" }, t0),
                Track(user, 2, "Product Added", new { product_id = "sku-1", price = 2 }, t0.AddMinutes(1)),
                Track(user, 3, "Product Viewed", new { product_id = "sku-9" }, t0.AddHours(2)),
                Track(user, 4, "Order Completed", new { revenue = 2 }, t0.AddHours(2).AddMinutes(5)));
        var live = new List<string>();
        foreach (var user in users)
        {
            await Profiles.WithCountAsync(user, 4);
            live.Add((await Profiles.GetRawAsync(user)).Body);
        }

        await RestartActorsWithEmptyStateAsync();
        foreach (var user in users)
            Assert.That((await Profiles.GetRawAsync(user)).Status, Is.EqualTo(HttpStatusCode.NotFound), "actor state starts empty");

        var output = await RunVerbAsync("services/Segmentation", "rebuild-profiles");

        var rebuilt = new List<string>();
        foreach (var user in users)
            rebuilt.Add((await Profiles.GetRawAsync(user)).Body);
        Assert.That(rebuilt, Is.EqualTo(live));
        Assert.That(output, Does.Contain("Rebuilt"));
    }

    [Test]
    public async Task A_profile_that_lost_its_state_catches_up_from_the_log_on_its_next_event()
    {
        var user = "catch-up-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        await PostBatchAsync(
            Track(user, 1, "Product Viewed", new { product_id = "sku-1" }, t0),
            Track(user, 2, "Product Added", new { product_id = "sku-1", price = 3 }, t0.AddMinutes(1)));
        await Profiles.WithCountAsync(user, 2);

        await RestartActorsWithEmptyStateAsync();
        await PostBatchAsync(Track(user, 3, "Product Viewed", new { product_id = "sku-2" }, t0.AddMinutes(2)));

        var profile = await Profiles.WithCountAsync(user, 3);
        Assert.That(profile!.EventCount, Is.EqualTo(3));
        Assert.That(profile.Cart["sku-1"].Price, Is.EqualTo(3m), "the events before the loss were replayed from the log");
        Assert.That(profile.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-2", "sku-1" }));
    }

    [Test]
    public async Task Bot_and_unconsented_events_are_stored_but_leave_the_profile_alone()
    {
        var user = "screened-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        await PostBatchAsync(
            Track(user, 1, "Product Viewed", new { product_id = "sku-1" }, now),
            JsonSerializer.Serialize(new
            {
                type = "track", @event = "Product Added", userId = user, messageId = $"{user}-bot", properties = new { product_id = "sku-2", price = 9 },
                context = new { userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1)" },
            }),
            JsonSerializer.Serialize(new
            {
                type = "track", @event = "Product Viewed", userId = user, messageId = $"{user}-private", properties = new { product_id = "sku-3" },
                context = new { consent = new { categoryPreferences = new { Personalization = false } } },
            }));

        var profile = await TestSupport.Eventually.ReturnsAsync(
            () => Profiles.GetAsync(user), p => p?.EventCount + p?.ExcludedEvents >= 3, TimeSpan.FromSeconds(60), "all three events applied");

        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(3), "flagged events stay in the log");
        Assert.That(profile!.EventCount, Is.EqualTo(1));
        Assert.That(profile.ExcludedEvents, Is.EqualTo(2));
        Assert.That(profile.Cart, Is.Empty);
        Assert.That(profile.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-1" }));
        Assert.That(await Database.ScalarAsync<string>(
            "select data->>'Flags' from ingestion.mt_events where stream_id = @s and data->>'MessageId' = @m",
            ("s", $"{Tenant}/user:{user}"), ("m", $"{user}-bot")), Is.EqualTo("KnownBot"));
    }

    [Test]
    public async Task Browsing_anonymously_then_logging_in_makes_one_persons_history_live_and_after_a_rebuild()
    {
        var anonymous = "anon-" + Guid.NewGuid().ToString("N")[..8];
        var user = "login-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = DateTimeOffset.UtcNow.AddHours(-2);
        string Anonymous(int n, string @event, object properties, DateTimeOffset at) => JsonSerializer.Serialize(new
        {
            type = "track", @event, anonymousId = anonymous, messageId = $"{anonymous}-{n}", timestamp = at.ToString("O"), properties,
        });

        // Before logging in: two views and a cart add, as an anonymous visitor.
        await PostBatchAsync(
            Anonymous(1, "Product Viewed", new { product_id = "sku-1" }, t0),
            Anonymous(2, "Product Viewed", new { product_id = "sku-2" }, t0.AddMinutes(1)),
            Anonymous(3, "Product Added", new { product_id = "sku-2", price = 4 }, t0.AddMinutes(2)));
        // Logging in links the anonymous id to the user; later calls come with the user id, or still only the anonymous id.
        await PostBatchAsync(
            Login(user, anonymous, t0.AddMinutes(3)),
            Track(user, 5, "Order Completed", new { revenue = 4 }, t0.AddMinutes(4)));
        await PostBatchAsync(Anonymous(6, "Product Viewed", new { product_id = "sku-3" }, t0.AddMinutes(5)));

        var live = await Profiles.WithCountAsync(user, 6);
        Assert.That(live!.EventCount, Is.EqualTo(6), "3 anonymous + identify + order + 1 anonymous after login");
        Assert.That(live.RecentlyViewed.Select(v => v.ItemId), Is.EquivalentTo(new[] { "sku-1", "sku-2", "sku-3" }));
        Assert.That(live.Purchases.Count, Is.EqualTo(1));
        Assert.That(live.Cart, Is.Empty, "the anonymous cart was bought after login");
        Assert.That(live.UserKey, Is.EqualTo($"user:{user}"));

        await AssertRebuildGivesTheLiveProfileAsync(user);
    }

    [Test]
    public async Task An_anonymous_event_stored_by_a_node_that_missed_the_login_still_joins_the_persons_profile()
    {
        // Every node remembers "not linked yet" for a moment, so right after a login on one node another may still
        // store the visitor's anonymous events in the anonymous stream. This node remembers it for ten minutes,
        // which makes that moment as long as the test needs.
        await using var unaware = await TestSupport.ServiceProcess.StartAsync(
            "services/Ingestion", new Dictionary<string, string>(Settings) { ["Ingestion__Identity__UnlinkedCacheFor"] = "00:10:00" });
        var anonymous = "anon-" + Guid.NewGuid().ToString("N")[..8];
        var user = "late-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);

        await PostBatchAsync(unaware, AnonymousView(anonymous, 1, "sku-1", t0));
        await PostBatchAsync(Login(user, anonymous, t0.AddMinutes(1)));
        Assert.That((await Profiles.WithCountAsync(user, 2))!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-1" }), "merged at login");

        await PostBatchAsync(unaware, AnonymousView(anonymous, 2, "sku-2", t0.AddMinutes(2)));
        Assert.That(await Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @s", ("s", $"{Tenant}/anonymous:{anonymous}")),
            Is.EqualTo(2), "the second view went to the anonymous stream, after the profile had read it");

        var live = await Profiles.WithCountAsync(user, 3);
        Assert.That(live!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-2", "sku-1" }));

        await AssertRebuildGivesTheLiveProfileAsync(user);
    }

    [Test]
    public async Task A_shared_devices_anonymous_history_stays_with_the_first_person_who_logged_in_on_it()
    {
        var anonymous = "anon-" + Guid.NewGuid().ToString("N")[..8];
        var (first, second) = ("first-" + Guid.NewGuid().ToString("N")[..8], "second-" + Guid.NewGuid().ToString("N")[..8]);
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);

        await PostBatchAsync(AnonymousView(anonymous, 1, "sku-1", t0));
        await PostBatchAsync(Login(first, anonymous, t0.AddMinutes(1)));
        Assert.That((await Profiles.WithCountAsync(first, 2))!.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-1" }));

        // The same browser, later, for someone else: ingestion keeps routing it to the first person, and so must profiles.
        await PostBatchAsync(Login(second, anonymous, t0.AddMinutes(2)), Track(second, 1, "Product Viewed", new { product_id = "sku-2" }, t0.AddMinutes(3)));
        var secondProfile = await Profiles.WithCountAsync(second, 2);
        Assert.That(secondProfile!.EventCount, Is.EqualTo(2), "the identify and the view, without the first person's history");
        Assert.That(secondProfile.RecentlyViewed.Select(v => v.ItemId), Is.EqualTo(new[] { "sku-2" }));
        Assert.That((await Profiles.GetAsync(first))!.EventCount, Is.EqualTo(2));
    }
}
