namespace Personalization.Recommendation.Interactions;

/// <summary>
/// The weighted user × item matrix, stored twice: by user (CSR: each user's items in ascending order) and by item
/// (CSC: each item's users in ascending order), so both user- and item-side algorithms walk contiguous spans.
/// Indices are dense (0..UserCount-1, 0..ItemCount-1); <see cref="UserIds"/> and <see cref="ItemIds"/> map them back.
/// </summary>
public sealed class InteractionMatrix
{
    private readonly Dictionary<string, int> _userIndex;
    private readonly Dictionary<string, int> _itemIndex;

    private InteractionMatrix(string[] userIds, string[] itemIds, string?[] userContexts,
        int[] userOffsets, int[] userItems, float[] userValues, int[] itemOffsets, int[] itemUsers, float[] itemValues)
    {
        UserIds = userIds;
        ItemIds = itemIds;
        UserContexts = userContexts;
        ByUser = new SparseSide(userOffsets, userItems, userValues);
        ByItem = new SparseSide(itemOffsets, itemUsers, itemValues);
        _userIndex = Index(userIds);
        _itemIndex = Index(itemIds);
    }

    public int UserCount => UserIds.Count;
    public int ItemCount => ItemIds.Count;
    public int NonZeroCount => ByUser.NonZeroCount;

    /// <summary>Rows by user: each user's items and weights.</summary>
    public SparseSide ByUser { get; }

    /// <summary>Rows by item: each item's users and weights.</summary>
    public SparseSide ByItem { get; }
    public IReadOnlyList<string> UserIds { get; }
    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Each user's latest context (country, device), or null when the data has none.</summary>
    public IReadOnlyList<string?> UserContexts { get; }

    public ReadOnlySpan<int> ItemsOf(int user) => ByUser.Indices(user);
    public ReadOnlySpan<float> ValuesOfUser(int user) => ByUser.Values(user);
    public ReadOnlySpan<int> UsersOf(int item) => ByItem.Indices(item);
    public ReadOnlySpan<float> ValuesOfItem(int item) => ByItem.Values(item);

    public int UserIndex(string userId) => _userIndex.GetValueOrDefault(userId, -1);
    public int ItemIndex(string itemId) => _itemIndex.GetValueOrDefault(itemId, -1);

    /// <summary>
    /// From (user, item, weight) entries over dense indices; entries for the same pair are summed. Ids default to
    /// the indices' text. Used by the builder and by tests that plant a structure.
    /// </summary>
    public static InteractionMatrix FromEntries(int userCount, int itemCount, IEnumerable<(int User, int Item, float Value)> entries,
        string[]? userIds = null, string[]? itemIds = null, string?[]? userContexts = null)
    {
        var list = entries.ToList();
        foreach (var (user, item, _) in list)
        {
            if ((uint)user >= (uint)userCount) throw new ArgumentOutOfRangeException(nameof(entries), $"user {user} outside 0..{userCount - 1}");
            if ((uint)item >= (uint)itemCount) throw new ArgumentOutOfRangeException(nameof(entries), $"item {item} outside 0..{itemCount - 1}");
        }
        list.Sort((a, b) => a.User != b.User ? a.User.CompareTo(b.User) : a.Item.CompareTo(b.Item));

        // Merge duplicates, in order, so the CSR arrays come out sorted.
        var users = new List<int>(list.Count);
        var items = new List<int>(list.Count);
        var values = new List<float>(list.Count);
        foreach (var (user, item, value) in list)
        {
            if (users.Count > 0 && users[^1] == user && items[^1] == item)
                values[^1] += value;
            else
            {
                users.Add(user);
                items.Add(item);
                values.Add(value);
            }
        }

        var userOffsets = new int[userCount + 1];
        foreach (var user in users) userOffsets[user + 1]++;
        for (var u = 0; u < userCount; u++) userOffsets[u + 1] += userOffsets[u];

        // CSC by counting sort on the item; walking users in order keeps each item's users ascending.
        var itemOffsets = new int[itemCount + 1];
        foreach (var item in items) itemOffsets[item + 1]++;
        for (var i = 0; i < itemCount; i++) itemOffsets[i + 1] += itemOffsets[i];
        var itemUsers = new int[items.Count];
        var itemValues = new float[items.Count];
        var next = itemOffsets[..^1];
        for (var n = 0; n < items.Count; n++)
        {
            var slot = next[items[n]]++;
            itemUsers[slot] = users[n];
            itemValues[slot] = values[n];
        }

        return new InteractionMatrix(
            userIds ?? Enumerable.Range(0, userCount).Select(u => u.ToString()).ToArray(),
            itemIds ?? Enumerable.Range(0, itemCount).Select(i => i.ToString()).ToArray(),
            userContexts ?? new string?[userCount],
            userOffsets, items.ToArray(), values.ToArray(), itemOffsets, itemUsers, itemValues);
    }

    /// <summary>
    /// Weights and aggregates raw interactions. Users and items get indices in order of first appearance, so the
    /// same input gives the same matrix. The decay is measured back from <paramref name="reference"/>, by default
    /// the latest interaction given. <paramref name="catalogue"/> adds items nobody has interacted with yet (empty
    /// columns after the others), so content-based recommendation can reach new items.
    /// </summary>
    public static InteractionMatrix Build(IReadOnlyList<Interaction> interactions, InteractionWeighting weighting, DateTime? reference = null,
        IEnumerable<string>? catalogue = null)
    {
        var at = reference ?? (interactions.Count == 0 ? DateTime.MinValue : interactions.Max(x => x.Timestamp));
        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var userIds = new List<string>();
        var itemIds = new List<string>();
        var contexts = new List<(string? Context, DateTime At)>();
        var entries = new List<(int, int, float)>(interactions.Count);
        foreach (var x in interactions)
        {
            if (!userIndex.TryGetValue(x.User, out var user))
            {
                user = userIndex[x.User] = userIds.Count;
                userIds.Add(x.User);
                contexts.Add((null, DateTime.MinValue));
            }
            if (!itemIndex.TryGetValue(x.Item, out var item))
            {
                item = itemIndex[x.Item] = itemIds.Count;
                itemIds.Add(x.Item);
            }
            if (x.Context is not null && x.Timestamp >= contexts[user].At)
                contexts[user] = (x.Context, x.Timestamp);
            entries.Add((user, item, weighting.Weight(x, at)));
        }
        foreach (var id in catalogue ?? [])
        {
            if (itemIndex.TryAdd(id, itemIds.Count)) itemIds.Add(id);
        }
        return FromEntries(userIds.Count, itemIds.Count, entries,
            userIds.ToArray(), itemIds.ToArray(), contexts.Select(c => c.Context).ToArray());
    }

    /// <summary>The ids, contexts and rows by user; the rows by item are rebuilt on load.</summary>
    public void Save(Candidates.ModelStateWriter writer)
    {
        writer.Write(UserIds);
        writer.Write(ItemIds);
        writer.Write(UserContexts);
        var entries = new int[NonZeroCount];
        var values = new float[NonZeroCount];
        var offsets = new int[UserCount + 1];
        for (var user = 0; user < UserCount; user++)
        {
            ItemsOf(user).CopyTo(entries.AsSpan(offsets[user]));
            ValuesOfUser(user).CopyTo(values.AsSpan(offsets[user]));
            offsets[user + 1] = offsets[user] + ItemsOf(user).Length;
        }
        writer.Write(offsets);
        writer.Write(entries);
        writer.Write(values);
    }

    public static InteractionMatrix Load(Candidates.ModelStateReader reader)
    {
        var userIds = reader.ReadStrings();
        var itemIds = reader.ReadStrings();
        var contexts = reader.ReadStrings();
        var (offsets, items, values) = (reader.ReadInts(), reader.ReadInts(), reader.ReadFloats());
        if (userIds.Any(id => id is null) || itemIds.Any(id => id is null) || contexts.Length != userIds.Length
            || offsets.Length != userIds.Length + 1 || offsets[^1] != items.Length || items.Length != values.Length
            || items.Any(item => (uint)item >= (uint)itemIds.Length))
            throw new InvalidDataException("the saved interaction matrix is not consistent");
        var entries = new List<(int, int, float)>(items.Length);
        for (var user = 0; user < userIds.Length; user++)
            for (var n = offsets[user]; n < offsets[user + 1]; n++) entries.Add((user, items[n], values[n]));
        return FromEntries(userIds.Length, itemIds.Length, entries, userIds!, itemIds!, contexts);
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> ids)
    {
        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var n = 0; n < ids.Count; n++) index[ids[n]] = n;
        return index;
    }
}

/// <summary>One side of the matrix in compressed rows: row r's column indices (ascending) and their weights.</summary>
public sealed class SparseSide(int[] offsets, int[] indices, float[] values)
{
    public int RowCount => offsets.Length - 1;
    public int NonZeroCount => indices.Length;
    public ReadOnlySpan<int> Indices(int row) => indices.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);
    public ReadOnlySpan<float> Values(int row) => values.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);
}
