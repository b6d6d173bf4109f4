using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Outages.OutagePlatform;

namespace Personalization.EndToEnd.Outages;

/// <summary>
/// Segmentation as two replicas, each with its sidecar: both consume the queue and host profile actors, and when one
/// is killed under load, its people carry on on the other with every accepted event counted once.
/// </summary>
[Category(Category), Order(2)]
public class ScaleOutTests
{
    [Test]
    public async Task Two_replicas_share_the_work_and_when_one_is_killed_under_load_every_accepted_event_reaches_its_profile_once()
    {
        await Infra.UpAsync();
        await using var second = await Processes.StartSegmentationReplicaAsync();
        await using var load = SteadyLoad.Start(Processes.Ingestion.Client, WriteKey, $"scale-{Guid.NewGuid().ToString("N")[..6]}", users: 60);
        await load.WaitForMoreAsync(300);

        var calls = await Eventually.ReturnsAsync(
            async () => (First: await ActorCallsAsync(Processes.Segmentation), Second: await ActorCallsAsync(second.Segmentation)),
            c => c.First > 0 && c.Second > 0, TimeSpan.FromSeconds(60), "both replicas to feed profiles");
        var active = await Eventually.ReturnsAsync(
            async () => (First: await ActiveProfilesAsync(Processes.Sidecar), Second: await ActiveProfilesAsync(second.Sidecar)),
            a => a.First > 0 && a.Second > 0, TimeSpan.FromSeconds(30), "profile actors active on both replicas");
        TestContext.Out.WriteLine($"Before the kill: actor calls {calls}, active profile actors {active}");

        await second.DisposeAsync();   // kill -9 of the replica and its sidecar
        await load.WaitForMoreAsync(300);
        await load.StopAsync();

        await ExactlyOnce.AssertEveryProfileCountsItsEventsAsync(load);
        Assert.That(await ActiveProfilesAsync(Processes.Sidecar), Is.GreaterThanOrEqualTo(load.Users.Count),
            "the survivor hosts every person of the load now");
    }

    private static async Task<long> ActorCallsAsync(ServiceProcess segmentation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/profiles/feed");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await segmentation.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var totals = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return totals.RootElement.GetProperty("actorCalls").GetInt64();
    }

    /// <summary>Profile actors active on the replica of <paramref name="sidecar"/>, from its <c>GET /v1.0/metadata</c>.</summary>
    private static async Task<int> ActiveProfilesAsync(ServiceProcess sidecar)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/metadata");
        request.Headers.Add("dapr-api-token", SidecarApiToken);
        using var response = await sidecar.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();
        return metadata.GetProperty("actors").EnumerateArray()
            .Where(a => a.GetProperty("type").GetString() == Contracts.Profiles.ProfileActors.TypeName).Sum(a => a.GetProperty("count").GetInt32());
    }
}
