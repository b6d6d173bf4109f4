using System.Net;
using System.Text;
using System.Text.Json;
using Personalization.DaprSidecar.Tests.Conformance.TestApp;
using Personalization.TestSupport;
using static Personalization.DaprSidecar.Tests.Conformance.ConformanceEnvironment;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>Reminders registered through the real runtime (IRemindable), kept in PostgreSQL by the emulator.</summary>
public class ReminderTests
{
    private static readonly TimeSpan Once = Timeout.InfiniteTimeSpan;

    [Test]
    public async Task Reminder_fires_at_its_due_time()
    {
        var id = NewId();
        var registeredAt = DateTimeOffset.UtcNow;
        await Probe(id).RegisterReminderAsync("wake", TimeSpan.FromSeconds(1), Once, 0);

        var fired = await FirstFireAsync(id, "wake", TimeSpan.FromSeconds(5));
        var delay = fired.At - registeredAt;
        Assert.That(delay, Is.InRange(TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(2)), "fired within 1 s of its due time");
        Assert.That(fired.Data, Is.EqualTo("data of wake"), "the registered data came back");
        await Eventually.ReturnsAsync(() => ReadReminderStatusAsync(id, "wake"), s => s == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(5), "the one-shot reminder to be gone after firing");
    }

    [Test]
    public async Task Reminder_due_while_the_emulator_is_down_fires_after_it_starts()
    {
        var id = NewId();
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(1);
        await Probe(id).RegisterReminderAsync("while-down", TimeSpan.FromSeconds(1), Once, 0);
        await Sidecar.StopAsync();
        try
        {
            // Setting the scene, not asserting: let the due time pass while nothing runs.
            await Task.Delay(dueAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
            Assert.That(ActorProbe.For(id).FiresOf("while-down"), Is.Zero, "nothing fired it while the emulator was down");
        }
        finally
        {
            await Sidecar.StartAsync();
        }

        var fired = await FirstFireAsync(id, "while-down", TimeSpan.FromSeconds(5));
        Assert.That(fired.Data, Is.EqualTo("data of while-down"));
    }

    [Test]
    public async Task Periodic_reminder_repeats_until_it_is_deleted()
    {
        var id = NewId();
        var actor = Probe(id);
        var record = ActorProbe.For(id);
        await actor.RegisterReminderAsync("tick", TimeSpan.Zero, TimeSpan.FromMilliseconds(300), 0);
        await actor.RegisterReminderAsync("sentinel", TimeSpan.Zero, TimeSpan.FromMilliseconds(300), 0);

        await Eventually.ReturnsAsync(() => Task.FromResult(record.FiresOf("tick")), n => n >= 3, TimeSpan.FromSeconds(5), "three ticks");
        await actor.UnregisterReminderAsync("tick");
        var ticksAtDelete = record.FiresOf("tick");
        var sentinelAtDelete = record.FiresOf("sentinel");

        // The sentinel runs on the same schedule: three more of its fires are time enough for a tick to show.
        await Eventually.ReturnsAsync(() => Task.FromResult(record.FiresOf("sentinel")), n => n >= sentinelAtDelete + 3,
            TimeSpan.FromSeconds(5), "three more sentinel fires");
        await actor.UnregisterReminderAsync("sentinel");
        Assert.That(record.FiresOf("tick"), Is.EqualTo(ticksAtDelete), "no tick after the delete");
    }

    [Test]
    public async Task Reminder_with_repetitions_fires_that_many_times()
    {
        var id = NewId();
        // The SDK sends this as the period R3/PT1S.
        await Probe(id).RegisterReminderAsync("thrice", TimeSpan.Zero, TimeSpan.FromSeconds(1), 3);

        await Eventually.ReturnsAsync(() => ReadReminderStatusAsync(id, "thrice"), s => s == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(8), "the reminder to end after its repetitions");
        Assert.That(ActorProbe.For(id).FiresOf("thrice"), Is.EqualTo(3));
    }

    [Test]
    public async Task Reading_a_reminder_answers_as_daprd_with_the_scheduler_does()
    {
        var id = NewId();
        await Probe(id).RegisterReminderAsync("later", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(90), 0);
        using var http = SidecarHttp();

        using var found = await http.GetAsync($"/v1.0/actors/{ActorTypes.Probe}/{id}/reminders/later");
        using var json = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(root.GetProperty("actorType").GetString(), Is.EqualTo(ActorTypes.Probe));
            Assert.That(root.GetProperty("actorID").GetString(), Is.EqualTo(id));
            Assert.That(root.GetProperty("dueTime").GetString(), Is.EqualTo("0h10m0s0ms"));
            Assert.That(root.GetProperty("period").GetString(), Is.EqualTo("@every 1m30s"));
            Assert.That(Encoding.UTF8.GetString(root.GetProperty("data").GetBytesFromBase64()), Is.EqualTo("data of later"));
        });

        await Probe(id).UnregisterReminderAsync("later");
        using var missing = await http.GetAsync($"/v1.0/actors/{ActorTypes.Probe}/{id}/reminders/later");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await StateTests.ReadErrorAsync(missing)).ErrorCode, Is.EqualTo("ERR_ACTOR_REMINDER_NOT_FOUND"));
    }

    [Test]
    public async Task Reminder_for_a_type_no_app_hosts_is_refused()
    {
        using var http = SidecarHttp();
        using var response = await http.PutAsync($"/v1.0/actors/Nobody/{NewId()}/reminders/r",
            new StringContent("""{"dueTime":"0h0m1s0ms","period":""}""", Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await StateTests.ReadErrorAsync(response)).ErrorCode, Is.EqualTo("ERR_ACTOR_REMINDER_NON_HOSTED"));
    }

    [Test]
    public async Task Reminder_period_with_days_is_refused_as_by_the_scheduler()
    {
        using var http = SidecarHttp();
        using var response = await http.PutAsync($"/v1.0/actors/{ActorTypes.Probe}/{NewId()}/reminders/daily",
            new StringContent("""{"dueTime":"","period":"P1D"}""", Encoding.UTF8, "application/json"));
        var error = await StateTests.ReadErrorAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(error.ErrorCode, Is.EqualTo("ERR_ACTOR_REMINDER_CREATE"));
        Assert.That(error.Message, Does.Contain("P1D"));
    }

    private static Task<Fired> FirstFireAsync(string id, string name, TimeSpan timeout) =>
        Eventually.ReturnsAsync(() => Task.FromResult(ActorProbe.For(id).Fires.FirstOrDefault(f => f.Name == name)),
            f => f is not null, timeout, $"reminder '{name}' to fire")!;

    private static async Task<HttpStatusCode> ReadReminderStatusAsync(string id, string name)
    {
        using var http = SidecarHttp();
        using var response = await http.GetAsync($"/v1.0/actors/{ActorTypes.Probe}/{id}/reminders/{name}");
        return response.StatusCode;
    }
}
