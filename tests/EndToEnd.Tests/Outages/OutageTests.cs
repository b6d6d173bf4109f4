using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Outages.OutagePlatform;

namespace Personalization.EndToEnd.Outages;

/// <summary>
/// The broker and the database taken away under a steady load, as in a rolling upgrade or a node move: nothing is
/// restarted by hand, and every accepted event still reaches its profile exactly once.
/// </summary>
[Category(Category), Order(1)]
public class OutageTests
{
    private static ServiceProcess Relay => Processes.Relay;
    private static ServiceProcess Segmentation => Processes.Segmentation;

    /// <summary>Whatever an earlier test left down (it failed half-way, say) is up again, so failures do not cascade.</summary>
    [SetUp]
    public async Task ServersUpAsync()
    {
        await Infra.UpAsync();
        NpgsqlConnection.ClearAllPools();
    }

    private const string OutageStarts = "Relay cannot publish to RabbitMQ";
    private const string OutageLasts = "Relay still cannot publish to RabbitMQ";
    private const string OutageEnds = "Relay publishes to RabbitMQ again";

    [Test, Order(1)]
    public async Task After_rabbitmq_is_killed_and_started_again_every_accepted_event_reaches_its_profile_once()
    {
        var told = RelayLog.Mark();
        await UnderLoadAsync("rabbit-killed", async () =>
        {
            await Infra.CrashAsync("rabbitmq");
            await AssertBrokerOutageReportedAsync();
            await Infra.UpAsync();
        });

        Assert.That(told.Since(OutageStarts), Is.InRange(1, 2), "the relay tells of the outage once, not once per event or try");
        Assert.That(told.Since(OutageEnds), Is.EqualTo(told.Since(OutageStarts)), "and of each recovery");
    }

    [Test, Order(2)]
    public async Task While_rabbitmq_is_down_for_two_minutes_nothing_is_lost_and_the_relay_catches_up_by_itself()
    {
        var told = RelayLog.Mark();
        await UnderLoadAsync("rabbit-away", async () =>
        {
            await Infra.CrashAsync("rabbitmq");
            await AssertBrokerOutageReportedAsync();
            await Task.Delay(TimeSpan.FromMinutes(2));
            await Infra.UpAsync();
        });

        Assert.That(told.Since(OutageStarts), Is.EqualTo(1), "one outage");
        Assert.That(told.Since(OutageLasts), Is.InRange(1, 2), "a reminder a minute while it lasts");
        Assert.That(told.Since(OutageEnds), Is.EqualTo(1), "and its end");
    }

    [Test, Order(3)]
    public async Task After_rabbitmq_drops_every_connection_every_accepted_event_reaches_its_profile_once()
    {
        var told = RelayLog.Mark();
        await UnderLoadAsync("rabbit-dropped", () => Infra.CrashAsync("connections"));

        Assert.That(told.Since(OutageEnds), Is.EqualTo(told.Since(OutageStarts)), "every outage the relay told of, it told the end of");
    }

    [Test, Order(4)]
    public async Task After_postgresql_restarts_in_immediate_mode_every_accepted_event_reaches_its_profile_once()
    {
        await UnderLoadAsync("postgres", async () =>
        {
            await Infra.CrashAsync("postgres");
            var stalled = await Readiness.UntilAsync(Relay, r => r.Status == HttpStatusCode.ServiceUnavailable && r.CheckStatus("relay") == "Unhealthy",
                "the relay's readiness to report the stall");
            Assert.That(stalled.CheckStatus("postgres"), Is.EqualTo("Unhealthy"), stalled.ToString());
            await Infra.UpAsync();
            // This test's own pooled connections died with the server.
            NpgsqlConnection.ClearAllPools();
        });
    }

    /// <summary>Keeps a load flowing before, through and after <paramref name="outage"/>; then every event must be in its profile once.</summary>
    private static async Task UnderLoadAsync(string name, Func<Task> outage)
    {
        await using var load = SteadyLoad.Start(Processes.Ingestion.Client, WriteKey, $"{name}-{Guid.NewGuid().ToString("N")[..6]}", users: 60);
        await load.WaitForMoreAsync(300);
        await outage();
        await load.WaitForMoreAsync(300);
        await load.StopAsync();

        await ExactlyOnce.AssertEveryProfileCountsItsEventsAsync(load);
        await AssertRecoveredAsync();
    }

    private static async Task AssertBrokerOutageReportedAsync()
    {
        var stalled = await Readiness.UntilAsync(Relay, r => r.Status == HttpStatusCode.ServiceUnavailable && r.CheckStatus("relay") == "Unhealthy",
            "the relay's readiness to report the stall");
        Assert.That(stalled.Checks["relay"].Description, Does.Contain("events wait"));
        await Readiness.UntilAsync(Segmentation, r => r.Status == HttpStatusCode.ServiceUnavailable && r.CheckStatus("rabbitmq") == "Unhealthy",
            "Segmentation's readiness to report the lost broker");
        var api = await Readiness.OfAsync(Processes.Ingestion);
        Assert.That(api.Status, Is.EqualTo(HttpStatusCode.OK), $"the tracking API stays in service, since it stores events without the broker: {api}");
        Assert.That(api.CheckStatus("rabbitmq"), Is.EqualTo("Degraded"), api.ToString());
    }

    private static async Task AssertRecoveredAsync()
    {
        await Readiness.UntilAsync(Relay, r => r.Status == HttpStatusCode.OK, "the relay to be ready again");
        await Readiness.UntilAsync(Segmentation, r => r.Status == HttpStatusCode.OK, "Segmentation to be ready again");
    }

    /// <summary>What the relay has logged so far, to count what it tells from a point on.</summary>
    private sealed record RelayLog(string Before)
    {
        public static RelayLog Mark() => new(Relay.Output);

        public int Since(string what) => Count(Relay.Output, what) - Count(Before, what);

        private static int Count(string text, string what)
        {
            var (count, at) = (0, 0);
            while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) (count, at) = (count + 1, at + what.Length);
            return count;
        }
    }
}
