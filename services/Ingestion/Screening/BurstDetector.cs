using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Personalization.Contracts;

namespace Personalization.Ingestion.Screening;

/// <summary>
/// Counts each person's events per minute of arrival. Counts are per replica, so with n replicas behind a
/// balancer a burst is caught once it exceeds the limit on one of them: an approximation that costs no I/O.
/// </summary>
public sealed class BurstDetector(IOptions<ScreeningOptions> options)
{
    private sealed class Window(long minute)
    {
        public long Minute = minute;
        public int Count;
    }

    private readonly ConcurrentDictionary<StreamKey, Window> _windows = new();
    private long _calls;

    public bool IsBurst(StreamKey person, DateTimeOffset receivedAt)
    {
        var minute = receivedAt.ToUnixTimeSeconds() / 60;
        var window = _windows.GetOrAdd(person, _ => new Window(minute));
        lock (window)
        {
            if (window.Minute != minute)
            {
                window.Minute = minute;
                window.Count = 0;
            }
            window.Count++;
            // ConcurrentDictionary.Count takes every lock of the dictionary: look only once in a few thousand calls.
            if ((Interlocked.Increment(ref _calls) & 4095) == 0 && _windows.Count > 100_000) Prune(minute);
            return window.Count > options.Value.MaxEventsPerUserPerMinute;
        }
    }

    // Keeps memory bounded: people quiet for a minute or more have nothing left to count.
    private void Prune(long minute)
    {
        foreach (var (person, window) in _windows)
            if (window.Minute < minute)
                _windows.TryRemove(person, out _);
    }
}
