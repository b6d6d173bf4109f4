using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Outages.OutagePlatform;

namespace Personalization.EndToEnd.Outages;

/// <summary>The bar every outage test ends on: each accepted event is in the log once and counted once in its profile.</summary>
public static class ExactlyOnce
{
    public static async Task AssertEveryProfileCountsItsEventsAsync(SteadyLoad load)
    {
        foreach (var user in load.Users)
        {
            var accepted = load.AcceptedFor(user);
            Assert.That(await Database.ScalarAsync<long>("select count(*) from ingestion.mt_events where stream_id = @stream",
                ("stream", $"{Tenant}/user:{user}")), Is.EqualTo(accepted), $"{user}'s events are in the log once each");
            var counted = await Eventually.ReturnsAsync(() => ProfiledEventsAsync(user), n => n >= accepted, TimeSpan.FromSeconds(120),
                $"{user}'s profile to count its {accepted} accepted events");
            Assert.That(counted, Is.EqualTo(accepted), $"{user}'s profile counts each event once");
        }
        // Redeliveries still on their way would show now.
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var user in load.Users)
            Assert.That(await ProfiledEventsAsync(user), Is.EqualTo(load.AcceptedFor(user)), $"{user}'s profile, a moment later");
    }

    private static async Task<long> ProfiledEventsAsync(string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/profiles/{Uri.EscapeDataString(user)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadToken);
        using var response = await Processes.Segmentation.Client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return 0;
        // The person's actor is moving off a replica that died: the answer says "try again", and the caller does.
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return -1;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var profile = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // An event flagged at ingestion (a burst, say) still reaches the profile, as an excluded one.
        return profile.RootElement.GetProperty("eventCount").GetInt64() + profile.RootElement.GetProperty("excludedEvents").GetInt64();
    }
}
