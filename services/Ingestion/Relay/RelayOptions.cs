using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion.Relay;

public sealed class RelayOptions
{
    public const string Section = "Ingestion:Relay";

    /// <summary>
    /// Longest wait for a page's broker confirms. A publish on a channel the client lost can stay pending for ever; past
    /// this the page counts as failed and is published again from its checkpoint.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest pause between two tries of a failed page (the pause doubles from 100 ms up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the relay looks for newly stored events (Marten's high-water polling; its own default is 1 s when
    /// quiet, 250 ms when busy). This bounds how fresh profiles are; each look is one small query.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Most events the daemon hands the relay at once (fewer when it is caught up).</summary>
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 1_000;

    /// <summary>
    /// About how many events go into one broker message; a stream's events in a page stay in one message. Larger
    /// messages cost the broker less per event; smaller ones spread a page over more consumers.
    /// </summary>
    [Range(1, 10_000)]
    public int EventsPerMessage { get; set; } = 250;

    /// <summary>Readiness turns unhealthy when events wait and the relay's checkpoint has not moved for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the lag (events stored minus events published) is read from the event log.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan LagSampleInterval { get; set; } = TimeSpan.FromSeconds(2);
}
