using Personalization.Contracts;
using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Journeys;

/// <summary>
/// Checks how a journey's steps link up: ids are distinct, every target is a step (or the end), no path loops back
/// (a journey always moves towards its end, so an occurrence cannot wait forever in a circle), and every step can be
/// reached from the first.
/// </summary>
public static class JourneyGraph
{
    public static void Check(IReadOnlyList<JourneyStep> steps, Faults faults)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var linked = true;
        for (var i = 0; i < steps.Count; i++)
            if (!index.TryAdd(steps[i].Id, i))
            {
                faults.Add($"$.steps[{i}].id", $"Step '{steps[i].Id}' is already the id of $.steps[{index[steps[i].Id]}].");
                linked = false;
            }
        for (var i = 0; i < steps.Count; i++)
            foreach (var (property, target) in JourneyDefinition.NextOf(steps[i]))
                if (target is not null && !index.ContainsKey(target))
                {
                    faults.Add($"$.steps[{i}].{property}", $"No step has the id '{target}' (use \"{JourneyParser.Exit}\" to end the journey).");
                    linked = false;
                }
        if (!linked) return;

        // Depth first from the first step: a target still on the path is a cycle; what is never visited is unreachable.
        var state = new int[steps.Count]; // 0 unseen, 1 on the path, 2 done
        var path = new List<string>();
        bool Visit(int i)
        {
            state[i] = 1;
            path.Add(steps[i].Id);
            foreach (var (property, target) in JourneyDefinition.NextOf(steps[i]))
            {
                if (target is null) continue;
                var next = index[target];
                if (state[next] == 1)
                {
                    faults.Add($"$.steps[{i}].{property}", $"Leads back to '{target}': the steps must not form a cycle ({string.Join(" → ", path.SkipWhile(id => id != target))} → {target}).");
                    return false;
                }
                if (state[next] == 0 && !Visit(next)) return false;
            }
            path.RemoveAt(path.Count - 1);
            state[i] = 2;
            return true;
        }
        if (!Visit(0)) return;
        for (var i = 0; i < steps.Count; i++)
            if (state[i] == 0) faults.Add($"$.steps[{i}]", $"No step leads to '{steps[i].Id}': it would never run.");
    }
}
