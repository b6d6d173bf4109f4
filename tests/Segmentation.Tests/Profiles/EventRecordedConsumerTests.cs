using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Personalization.Contracts;
using Personalization.Contracts.V1;
using Personalization.Segmentation.Profiles;
using Personalization.TestSupport;

namespace Personalization.Segmentation.Tests.Profiles;

/// <summary>The consumer behind a real RabbitMQ queue, writing to a real PostgreSQL database.</summary>
public class EventRecordedConsumerTests
{
    private SegmentationHost _segmentation = null!;
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _segmentation = await SegmentationHost.StartAsync();
        _segmentation.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(new CountingObserver(_consumed));
    }

    [OneTimeTearDown]
    public Task StopAsync() => _segmentation.DisposeAsync().AsTask();

    private sealed class CountingObserver(ConcurrentDictionary<Guid, int> consumed) : IConsumeMessageObserver<EventRecorded>
    {
        public Task PreConsume(ConsumeContext<EventRecorded> context) => Task.CompletedTask;
        public Task ConsumeFault(ConsumeContext<EventRecorded> context, Exception exception) => Task.CompletedTask;

        public Task PostConsume(ConsumeContext<EventRecorded> context)
        {
            consumed.AddOrUpdate(context.Message.EventId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    private static EventRecorded Message(string tenant, string user, Guid? id = null) => new(
        id ?? Guid.NewGuid(), 1, tenant, StreamKey.ForUser(tenant, user).ToString(), Guid.NewGuid().ToString(),
        EventTypes.Track, "Product Viewed", user, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
        JsonSerializer.SerializeToElement(new { userId = user }));

    private Task WaitForConsumedAsync(IEnumerable<EventRecorded> published) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(published.GroupBy(m => m.EventId).All(g => _consumed.GetValueOrDefault(g.Key) >= g.Count())),
            done => done, TimeSpan.FromSeconds(60), "every published message to be consumed");

    private async Task<long> EventCountAsync(string tenant, string user)
    {
        await using var session = _segmentation.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<EventCountProfile>(StreamKey.ForUser(tenant, user).ToString()))?.EventCount ?? 0;
    }

    [Test]
    public async Task Redelivered_message_changes_nothing()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        var original = Message(tenant, "u1");
        var published = new[] { original, original, original, Message(tenant, "u1") };
        var bus = _segmentation.Services.GetRequiredService<IBus>();

        foreach (var message in published)
            await bus.Publish(message, context => context.MessageId = message.EventId);
        await WaitForConsumedAsync(published);

        Assert.That(await EventCountAsync(tenant, "u1"), Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_events_for_one_user_are_all_counted()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N");
        var published = Enumerable.Range(0, 50).Select(_ => Message(tenant, "busy-user")).ToList();
        var bus = _segmentation.Services.GetRequiredService<IBus>();

        await Task.WhenAll(published.Select(m => bus.Publish(m, context => context.MessageId = m.EventId)));
        await WaitForConsumedAsync(published);

        Assert.That(await EventCountAsync(tenant, "busy-user"), Is.EqualTo(50));
    }

    [Test]
    public async Task Readiness_covers_postgres_and_rabbitmq()
    {
        var report = await _segmentation.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains("ready"));

        Assert.That(report.Entries.Keys, Is.SupersetOf(new[] { "postgres", "rabbitmq" }));
        Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
    }
}
