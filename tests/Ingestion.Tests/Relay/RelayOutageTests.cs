using Microsoft.Extensions.Logging;
using Personalization.Ingestion.Relay;
using Personalization.Ingestion.Tests.Storage;

namespace Personalization.Ingestion.Tests.Relay;

public class RelayOutageTests
{
    private sealed class RecordingLogger : ILogger<RelayOutage>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }

    // NUnit shares one fixture instance between tests, so each test gets its own log and clock.
    private RecordingLogger _log = null!;
    private MovableClock _clock = null!;

    [SetUp]
    public void StartClean() => (_log, _clock) = (new RecordingLogger(), new MovableClock(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero)));

    [Test]
    public void An_outage_is_told_once_with_a_reminder_a_minute_and_its_end_once()
    {
        var outage = new RelayOutage(_log, _clock);
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            outage.Failed(fromSequence: 700, attempt, new IOException("connection refused"));
            _clock.Now += TimeSpan.FromSeconds(2);
        }
        Assert.That(outage.Reason, Does.Contain("after sequence 700").And.Contain("try 50").And.Contain("connection refused"));
        outage.Ended();
        outage.Ended();

        Assert.That(_log.Lines.Select(l => l.Level), Is.EqualTo(new[] { LogLevel.Warning, LogLevel.Warning, LogLevel.Information }));
        Assert.That(_log.Lines[0].Message, Does.StartWith("Relay cannot publish to RabbitMQ"));
        Assert.That(_log.Lines[1].Message, Does.StartWith("Relay still cannot publish").And.Contain("after 60 s and 31 tries"));
        Assert.That(_log.Lines[2].Message, Is.EqualTo("Relay publishes to RabbitMQ again, after 100 s and 50 failed tries"));
        Assert.That(outage.Reason, Is.Null);
    }

    [Test]
    public void A_later_outage_is_told_anew()
    {
        var outage = new RelayOutage(_log, _clock);
        outage.Failed(1, 1, new TimeoutException());
        outage.Ended();
        outage.Failed(2, 1, new TimeoutException());

        Assert.That(_log.Lines.Count(l => l.Message.StartsWith("Relay cannot publish")), Is.EqualTo(2));
    }

    [Test]
    public void A_page_left_unconfirmed_is_told_as_an_outage_that_a_later_failure_continues()
    {
        var outage = new RelayOutage(_log, _clock);
        outage.Unconfirmed(fromSequence: 900, TimeSpan.FromSeconds(3));
        Assert.That(outage.Lasts, "the next try sends one message first");
        Assert.That(outage.Reason, Does.Contain("not confirmed the page after sequence 900 for 3 s"));
        _clock.Now += TimeSpan.FromSeconds(7);
        outage.Failed(900, 1, new TimeoutException("no confirm"));
        outage.Ended();

        Assert.That(_log.Lines.Select(l => l.Message[..30]), Is.EqualTo(new[] { "Relay cannot publish to Rabbit", "Relay publishes to RabbitMQ ag" }));
        Assert.That(_log.Lines[1].Message, Is.EqualTo("Relay publishes to RabbitMQ again, after 7 s and 1 failed tries"));
    }
}
