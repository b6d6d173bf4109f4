using Personalization.Contracts.Catalog;

namespace Personalization.Recommendation.Serving.Rules;

/// <summary>
/// Which operators and values suit which fields, checked when a rule is parsed, and how a comparison is evaluated.
/// Text compares without regard to case. A field the item lacks (not in the catalog, no price) makes every
/// comparison false except <c>!=</c>.
/// </summary>
public static class RuleTypes
{
    private static readonly Dictionary<FieldType, string[]> OperatorsOf = new()
    {
        [FieldType.Text] = ["==", "!=", "contains", "in"],
        [FieldType.Number] = ["==", "!=", "<", "<=", ">", ">=", "in"],
        [FieldType.List] = ["contains"],
        [FieldType.Category] = ["==", "!=", "under", "contains", "in"],
        [FieldType.Boolean] = ["==", "!="],
        [FieldType.Attribute] = ["==", "!=", "<", "<=", ">", ">=", "contains", "in"],
    };

    public static void Check(ItemField field, string op, object value, int opAt, int valueAt)
    {
        if (!OperatorsOf[field.Type].Contains(op))
            throw new RuleSyntaxException($"'{field.Name}' ({field.Help}) takes {string.Join(", ", OperatorsOf[field.Type])}, not '{op}'", opAt);
        foreach (var single in value is List<object> list ? list : [value])
        {
            var fits = field.Type switch
            {
                FieldType.Number => single is double,
                FieldType.Boolean => single is bool,
                FieldType.Attribute => true,
                _ => single is string,
            };
            if (!fits)
                throw new RuleSyntaxException($"'{field.Name}' is compared with {Expected(field.Type)}, not {Describe(single)}", valueAt);
            if (field.Name == "availability" && !AvailabilityNames.TryParse((string)single, out _))
                throw new RuleSyntaxException($"availability is one of {string.Join(", ", AvailabilityNames.All)}, not \"{single}\"", valueAt);
        }
    }

    public static bool Compare(object? actual, string op, object value)
    {
        if (actual is null) return op == "!=";
        if (op == "in") return value is List<object> options && options.Any(option => Equal(actual, option));
        return op switch
        {
            "==" => Equal(actual, value),
            "!=" => !Equal(actual, value),
            "contains" => Contains(actual, value),
            "under" => actual is IReadOnlyList<string> path && value is string root && StartsWith(path, CategoryPaths.Split(root)),
            _ => actual is double a && value is double b && op switch
            {
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                ">=" => a >= b,
                _ => false,
            },
        };
    }

    private static bool Equal(object actual, object value) => (actual, value) switch
    {
        (string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase),
        (IReadOnlyList<string> path, string b) => path.Count == CategoryPaths.Split(b).Count && StartsWith(path, CategoryPaths.Split(b)),
        (double a, double b) => a == b,
        (bool a, bool b) => a == b,
        _ => false,
    };

    private static bool Contains(object actual, object value) => (actual, value) switch
    {
        (IEnumerable<string> list, string b) when actual is not string => list.Any(e => e.Equals(b, StringComparison.OrdinalIgnoreCase)),
        (string a, string b) => a.Contains(b, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>A category path (its names, root first) is at or below another, whatever the case.</summary>
    private static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> root) =>
        root.Count > 0 && root.Count <= path.Count && root.Select((name, n) => name.Equals(path[n], StringComparison.OrdinalIgnoreCase)).All(same => same);

    private static string Expected(FieldType type) => type switch
    {
        FieldType.Number => "a number",
        FieldType.Boolean => "true or false",
        _ => "\"text\"",
    };

    private static string Describe(object value) => value switch
    {
        string s => $"\"{s}\"",
        double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => "a list",
    };
}
