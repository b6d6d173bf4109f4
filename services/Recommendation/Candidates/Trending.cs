// Trending items: lift of an item's share of the last days' interactions over its earlier share. O(history).
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Items whose share of the interactions in the data's last <see cref="WindowDays"/> days is at least
/// <see cref="MinimumLift"/> times their (smoothed) share before, with at least <see cref="MinimumRecent"/> recent
/// interactions: what the "trending" reason points at. Computed at training time, when the times are known.
/// </summary>
public sealed class Trending
{
    public const double WindowDays = 7;
    public const double MinimumLift = 1.5;
    public const int MinimumRecent = 3;

    private readonly HashSet<int> _items;

    private Trending(IEnumerable<int> items) => _items = [.. items];

    public static readonly Trending None = new([]);

    public IReadOnlyCollection<int> Items => _items;

    public bool Contains(int item) => _items.Contains(item);

    public static Trending From(IReadOnlyList<Interaction> history, InteractionMatrix matrix)
    {
        if (history.Count == 0) return None;
        var cutoff = history.Max(x => x.Timestamp) - TimeSpan.FromDays(WindowDays);
        if (history.Min(x => x.Timestamp) >= cutoff) return None;
        var recent = new int[matrix.ItemCount];
        var earlier = new int[matrix.ItemCount];
        foreach (var x in history)
        {
            var item = matrix.ItemIndex(x.Item);
            if (item < 0) continue;
            if (x.Timestamp >= cutoff) recent[item]++;
            else earlier[item]++;
        }
        double totalRecent = recent.Sum(), totalEarlier = earlier.Sum();
        if (totalRecent == 0) return None;
        // Add-one smoothing, so an item new in the window has a finite lift.
        return new(Enumerable.Range(0, matrix.ItemCount).Where(item => recent[item] >= MinimumRecent
            && recent[item] / totalRecent >= MinimumLift * (earlier[item] + 1) / (totalEarlier + matrix.ItemCount)));
    }

    public void Save(ModelStateWriter writer) => writer.Write(_items.Order().ToArray());

    public static Trending Load(ModelStateReader reader) => new(reader.ReadInts());
}
