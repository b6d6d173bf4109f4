using System.Collections.Concurrent;
using MassTransit;
using Personalization.Contracts.V1;

namespace Personalization.EndToEnd.Tests.Segments;

/// <summary>A consumer of the platform's SegmentEntered and SegmentExited messages on RabbitMQ, as Triggers will be.</summary>
public sealed class SegmentTransitionsListener : IAsyncDisposable
{
    private readonly IBusControl _bus;
    public ConcurrentQueue<(object Message, Guid? MessageId)> Received { get; } = new();

    private SegmentTransitionsListener(IBusControl bus) => _bus = bus;

    public static async Task<SegmentTransitionsListener> StartAsync()
    {
        SegmentTransitionsListener? listener = null;
        var uri = new Uri(Platform.RabbitMqConnectionString);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(uri, h =>
            {
                h.Username(credentials[0]);
                h.Password(credentials[1]);
            });
            cfg.ReceiveEndpoint($"{Platform.Tenant}-segment-listener-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<SegmentEntered>(context => Keep(context.Message, context.MessageId));
                endpoint.Handler<SegmentExited>(context => Keep(context.Message, context.MessageId));
            });
        });
        listener = new SegmentTransitionsListener(bus);
        await bus.StartAsync();
        return listener;

        Task Keep(object message, Guid? messageId)
        {
            listener!.Received.Enqueue((message, messageId));
            return Task.CompletedTask;
        }
    }

    /// <summary>Entries into the segment, of one person's stream when <paramref name="streamKey"/> is given (others' catch-ups land here too).</summary>
    public IReadOnlyList<SegmentEntered> Entered(string segmentId, string? streamKey = null) =>
        Received.Select(r => r.Message).OfType<SegmentEntered>()
            .Where(m => m.TenantId == Platform.Tenant && m.SegmentId == segmentId && (streamKey is null || m.StreamKey == streamKey)).ToList();

    /// <summary>The person's entries into any segment (the stream key names the tenant).</summary>
    public IReadOnlyList<SegmentEntered> EnteredBy(string streamKey) =>
        Received.Select(r => r.Message).OfType<SegmentEntered>().Where(m => m.StreamKey == streamKey).ToList();

    public IReadOnlyList<SegmentExited> Exited(string segmentId, string? streamKey = null) =>
        Received.Select(r => r.Message).OfType<SegmentExited>()
            .Where(m => m.SegmentId == segmentId && (streamKey is null ? m.TenantId == Platform.Tenant : m.StreamKey == streamKey)).ToList();

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
