namespace Personalization.Segmentation.Segments.Definitions;

/// <summary>
/// The references between a tenant's segments: every referenced segment must exist, and no segment may depend on
/// itself through others, so the set can be evaluated in one pass, referenced segments first.
/// </summary>
public static class SegmentGraph
{
    /// <summary>Faults of <paramref name="draft"/> (saved as <paramref name="id"/>) among the tenant's <paramref name="others"/>, by JSON path.</summary>
    public static Dictionary<string, string[]> Check(string id, ParsedDefinition draft, IReadOnlyDictionary<string, ParsedDefinition> others)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var reference in draft.References)
        {
            if (reference.SegmentId == id)
                errors[reference.Path] = [$"A segment cannot contain itself ('{id}')."];
            else if (!others.ContainsKey(reference.SegmentId))
                errors[reference.Path] = [$"Unknown segment '{reference.SegmentId}': define it first."];
            else if (PathTo(reference.SegmentId, id, others) is { } cycle)
                errors[reference.Path] = [$"Refers back to itself: {id} → {string.Join(" → ", cycle)}."];
        }
        return errors;
    }

    /// <summary>The segments in an order where each comes after those it refers to (references to unknown ids are ignored).</summary>
    public static IReadOnlyList<string> DependencyOrder(IReadOnlyDictionary<string, ParsedDefinition> segments)
    {
        var order = new List<string>(segments.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string id)
        {
            if (!visited.Add(id) || !segments.TryGetValue(id, out var definition)) return;
            foreach (var reference in definition.References) Visit(reference.SegmentId);
            order.Add(id);
        }
        foreach (var id in segments.Keys.Order(StringComparer.Ordinal)) Visit(id);
        return order;
    }

    /// <summary>A chain of references from <paramref name="from"/> to <paramref name="to"/>, or null.</summary>
    private static List<string>? PathTo(string from, string to, IReadOnlyDictionary<string, ParsedDefinition> segments)
    {
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var current))
        {
            if (current == to)
            {
                var path = new List<string>();
                for (string? step = current; step is not null; step = cameFrom[step]) path.Add(step);
                path.Reverse();
                return path;
            }
            if (!segments.TryGetValue(current, out var definition)) continue;
            foreach (var reference in definition.References)
                if (cameFrom.TryAdd(reference.SegmentId, current)) queue.Enqueue(reference.SegmentId);
        }
        return null;
    }
}
