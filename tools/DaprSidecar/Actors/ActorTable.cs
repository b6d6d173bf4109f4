namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// The actors the emulator knows: active ones, and ones with callers or timers. An entry is pinned while someone
/// holds or awaits its turn, so it is never dropped and re-created under a caller (which would split its turn queue).
/// </summary>
public sealed class ActorTable
{
    private readonly object _sync = new();
    private readonly Dictionary<ActorKey, ActorEntry> _entries = [];

    public int Count
    {
        get { lock (_sync) return _entries.Count; }
    }

    public ActorEntry Pin(ActorKey key)
    {
        lock (_sync)
        {
            if (!_entries.TryGetValue(key, out var entry))
                _entries[key] = entry = new ActorEntry(key);
            entry.Pins++;
            return entry;
        }
    }

    public void Unpin(ActorEntry entry)
    {
        lock (_sync)
        {
            entry.Pins--;
            DropIfUnused(entry);
        }
    }

    public ActorEntry? Find(ActorKey key)
    {
        lock (_sync) return _entries.GetValueOrDefault(key);
    }

    public bool IsActive(ActorKey key) => Find(key)?.Active == true;

    /// <summary>Active actors with no caller that match <paramref name="where"/>; each comes back pinned.</summary>
    public IReadOnlyList<ActorEntry> PinUnused(Func<ActorEntry, bool> where)
    {
        lock (_sync)
        {
            var found = _entries.Values.Where(e => e.Active && e.Pins == 0 && e.Gate.IsFree && where(e)).ToList();
            foreach (var entry in found) entry.Pins++;
            return found;
        }
    }

    public bool AnyActive(Func<ActorEntry, bool> where)
    {
        lock (_sync) return _entries.Values.Any(e => e.Active && where(e));
    }

    /// <summary>How many actors of each type are active here (daprd's metadata <c>activeActors</c>).</summary>
    public IReadOnlyDictionary<string, int> ActiveCounts()
    {
        lock (_sync)
            return _entries.Values.Where(e => e.Active).GroupBy(e => e.Key.Type).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Called when an entry's timers change, so an inactive entry without timers does not linger.</summary>
    public void Release(ActorEntry entry)
    {
        lock (_sync) DropIfUnused(entry);
    }

    private void DropIfUnused(ActorEntry entry)
    {
        if (entry.Pins == 0 && !entry.Active && !entry.HasTimers && _entries.GetValueOrDefault(entry.Key) == entry)
            _entries.Remove(entry.Key);
    }
}
