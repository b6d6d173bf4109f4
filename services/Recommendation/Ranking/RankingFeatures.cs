// Ranker features: generator scores and ranks, item popularity/trend/recency/price, user RFM (Hughes 1994). O(interactions) to build, O(generators) per candidate.
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;

namespace Personalization.Recommendation.Ranking;

/// <summary>
/// What the ranker knows about users and items at a reference time, from the interactions before it: item
/// popularity (weighted, and distinct users), item recency and age, price; the user's RFM (days since the last
/// interaction, number of distinct visits, money spent at catalogue prices) and number of items; the item's trend
/// (distinct users in the last 7 and 30 days). Indexed like the
/// matrix they were computed for. O(interactions).
/// </summary>
public sealed class RankingFeatures
{
    public const int ItemAndUserFeatureCount = 11;

    /// <summary>The item's and the person's features in the order <see cref="Write"/> writes them, as explanations name them.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "item.popularity", "item.users", "item.recencyDays", "item.ageDays", "item.price", "item.usersLastWeek", "item.usersLastMonth",
        "user.recencyDays", "user.frequency", "user.monetary", "user.items",
    ];

    /// <summary>Items of the matrix the features were computed for.</summary>
    public int ItemCount => _itemPopularity.Length;

    private readonly float[] _itemPopularity, _itemUsers, _itemRecency, _itemAge, _itemPrice, _itemUsersWeek, _itemUsersMonth;
    private readonly float[] _userRecency, _userFrequency, _userMonetary;

    private RankingFeatures(int users, int items)
    {
        _itemPopularity = new float[items];
        _itemUsers = new float[items];
        _itemRecency = Filled(items, float.NaN);
        _itemAge = Filled(items, float.NaN);
        _itemPrice = Filled(items, float.NaN);
        _itemUsersWeek = new float[items];
        _itemUsersMonth = new float[items];
        _userRecency = Filled(users, float.NaN);
        _userFrequency = new float[users];
        _userMonetary = new float[users];
    }

    public static RankingFeatures From(IReadOnlyList<Interaction> history, InteractionMatrix matrix,
        IReadOnlyDictionary<string, ItemContent> catalogue, DateTime reference)
    {
        var features = new RankingFeatures(matrix.UserCount, matrix.ItemCount);
        var first = Filled(matrix.ItemCount, DateTime.MaxValue);
        var last = Filled(matrix.ItemCount, DateTime.MinValue);
        var userLast = Filled(matrix.UserCount, DateTime.MinValue);
        var visits = new HashSet<(int, DateTime)>();
        var recentUsers = new HashSet<(string, int, bool)>();
        for (var item = 0; item < matrix.ItemCount; item++)
        {
            features._itemUsers[item] = matrix.UsersOf(item).Length;
            foreach (var value in matrix.ValuesOfItem(item)) features._itemPopularity[item] += value;
            if (catalogue.TryGetValue(matrix.ItemIds[item], out var content) && content.Price is { } price)
                features._itemPrice[item] = price;
        }
        foreach (var x in history)
        {
            if (x.Timestamp >= reference) continue;
            var user = matrix.UserIndex(x.User);
            var item = matrix.ItemIndex(x.Item);
            if (item >= 0)
            {
                if (x.Timestamp < first[item]) first[item] = x.Timestamp;
                if (x.Timestamp > last[item]) last[item] = x.Timestamp;
                var age = reference - x.Timestamp;
                if (age <= TimeSpan.FromDays(30) && recentUsers.Add((x.User, item, false))) features._itemUsersMonth[item]++;
                if (age <= TimeSpan.FromDays(7) && recentUsers.Add((x.User, item, true))) features._itemUsersWeek[item]++;
            }
            if (user < 0) continue;
            if (x.Timestamp > userLast[user]) userLast[user] = x.Timestamp;
            if (visits.Add((user, x.Timestamp))) features._userFrequency[user]++;
            if (item >= 0 && features._itemPrice[item] is var p && !float.IsNaN(p)) features._userMonetary[user] += p;
        }
        for (var item = 0; item < matrix.ItemCount; item++)
        {
            if (last[item] == DateTime.MinValue) continue;
            features._itemRecency[item] = (float)(reference - last[item]).TotalDays;
            features._itemAge[item] = (float)(reference - first[item]).TotalDays;
        }
        for (var user = 0; user < matrix.UserCount; user++)
        {
            if (userLast[user] != DateTime.MinValue) features._userRecency[user] = (float)(reference - userLast[user]).TotalDays;
        }
        return features;
    }

    /// <summary>
    /// The item's and the person's features of one candidate. A person without a training row has no RFM (NaN);
    /// their item count is what they have now.
    /// </summary>
    public void Write(Person person, int item, Span<float> into)
    {
        var user = person.Row;
        var known = (uint)user < (uint)_userRecency.Length;
        var at = 0;
        into[at++] = _itemPopularity[item];
        into[at++] = _itemUsers[item];
        into[at++] = _itemRecency[item];
        into[at++] = _itemAge[item];
        into[at++] = _itemPrice[item];
        into[at++] = _itemUsersWeek[item];
        into[at++] = _itemUsersMonth[item];
        into[at++] = known ? _userRecency[user] : float.NaN;
        into[at++] = known ? _userFrequency[user] : float.NaN;
        into[at++] = known ? _userMonetary[user] : float.NaN;
        into[at] = person.Items.Length;
    }

    public void Save(ModelStateWriter writer)
    {
        foreach (var array in Arrays()) writer.Write(array);
    }

    public static RankingFeatures Load(ModelStateReader reader, InteractionMatrix matrix)
    {
        var features = new RankingFeatures(matrix.UserCount, matrix.ItemCount);
        foreach (var array in features.Arrays())
        {
            var saved = reader.ReadFloats();
            if (saved.Length != array.Length) throw new InvalidDataException("the ranker's features do not fit the matrix");
            saved.CopyTo(array, 0);
        }
        return features;
    }

    private float[][] Arrays() =>
        [_itemPopularity, _itemUsers, _itemRecency, _itemAge, _itemPrice, _itemUsersWeek, _itemUsersMonth, _userRecency, _userFrequency, _userMonetary];

    private static T[] Filled<T>(int length, T value)
    {
        var array = new T[length];
        Array.Fill(array, value);
        return array;
    }
}
