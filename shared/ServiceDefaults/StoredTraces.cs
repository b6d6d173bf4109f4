using System.Diagnostics;

namespace Personalization.ServiceDefaults;

/// <summary>
/// Carries a trace across work that waits in a table or a queue: the W3C trace context is stored with the work, and
/// whoever picks it up later starts its span continuing the first stored trace and linking the others, so each
/// event's later work (actor calls, segment entries, sends) stays in the trace of the request that brought it.
/// </summary>
public static class StoredTraces
{
    /// <summary>Enough to find the other traces of a busy batch, which can hold hundreds of items.</summary>
    public const int MaxLinks = 32;

    /// <summary>The current span's W3C trace context, to store with work another process or turn picks up.</summary>
    public static string? Current => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// A span (null when no one listens) whose parent is the first parsable context of <paramref name="traceParents"/>
    /// and which links the next <see cref="MaxLinks"/> distinct ones. With none, it is a root.
    /// </summary>
    public static Activity? StartContinuing(this ActivitySource source, string name, ActivityKind kind, IEnumerable<string?> traceParents)
    {
        if (!source.HasListeners()) return null;
        var contexts = traceParents
            .Select(t => ActivityContext.TryParse(t, null, out var context) ? context : (ActivityContext?)null)
            // Lazily, so a batch of hundreds parses only as many as it links.
            .OfType<ActivityContext>().Distinct().Take(MaxLinks + 1).ToList();
        return source.StartActivity(name, kind, contexts.FirstOrDefault(), links: contexts.Skip(1).Select(c => new ActivityLink(c)));
    }
}
