using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Personalization.Ingestion.Backfill;

/// <summary>Writes an error answer (RFC 7807 problem details when it is one) for a person, naming file lines for batch items.</summary>
public static partial class ProblemReport
{
    [GeneratedRegex(@"^batch\[(\d+)\]")]
    private static partial Regex BatchIndex();

    /// <param name="lineOf">The file line of each batch item, to turn <c>batch[3]</c> into a line number.</param>
    public static string Describe(HttpStatusCode status, string body, IReadOnlyList<long> lineOf)
    {
        var text = new StringBuilder($"{(int)status} {status}");
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            foreach (var field in new[] { "title", "detail" })
                if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    text.Append($"\n  {value.GetString()}");
            if (root.TryGetProperty("errors", out var errors)) text.Append(Errors(errors, lineOf));
        }
        catch (JsonException)
        {
            text.Append($"\n  {(body.Length > 2_000 ? body[..2_000] + "..." : body)}");
        }
        return text.ToString();
    }

    /// <summary>Each error of an answer's <c>errors</c> (by path) on a line of its own, with the file line of its batch item.</summary>
    public static string Errors(JsonElement errors, IReadOnlyList<long> lineOf)
    {
        var text = new StringBuilder();
        if (errors.ValueKind != JsonValueKind.Object) return "";
        foreach (var error in errors.EnumerateObject())
        {
            var index = BatchIndex().Match(error.Name);
            var where = index.Success && int.Parse(index.Groups[1].Value) is var i && i < lineOf.Count
                ? $"{error.Name} (line {lineOf[i]})"
                : error.Name;
            var messages = error.Value.ValueKind == JsonValueKind.Array ? error.Value.EnumerateArray().ToList() : [error.Value];
            foreach (var message in messages)
                text.Append($"\n  {where}: {message}");
        }
        return text.ToString();
    }
}
