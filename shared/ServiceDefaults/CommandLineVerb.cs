using System.Globalization;

namespace Personalization.ServiceDefaults;

/// <summary>A command line the verb cannot run with; its message says what was wrong.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The options of a command-line verb, the one way every verb of the suite reads them: <c>--name value</c> pairs,
/// names the verb does not know refused, values read with a message that names the option and what it needs.
/// </summary>
public sealed class VerbOptions
{
    private readonly Dictionary<string, string> _values;

    private VerbOptions(Dictionary<string, string> values) => _values = values;

    public static VerbOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < args.Count; n += 2)
        {
            if (!args[n].StartsWith("--", StringComparison.Ordinal) || args[n].Length == 2)
                throw new UsageException($"expected --name value, not '{args[n]}'");
            var name = args[n][2..];
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new UsageException($"unknown option --{name}");
            if (n + 1 >= args.Count) throw new UsageException($"--{name} needs a value");
            if (!values.TryAdd(name, args[n + 1])) throw new UsageException($"--{name} is given twice");
        }
        return new VerbOptions(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new UsageException($"--{name} is required");

    public int Int(string name, int fallback) => Read(name, fallback, "a whole number",
        (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    public double Double(string name, double fallback) => Read(name, fallback, "a number",
        (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value));

    public double? OptionalDouble(string name) => Has(name) ? Double(name, 0) : null;

    public bool Bool(string name, bool fallback) => Read(name, fallback, "true or false",
        (string text, out bool value) => bool.TryParse(text, out value));

    private delegate bool Parser<T>(string text, out T value);

    private T Read<T>(string name, T fallback, string expected, Parser<T> parse)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        return parse(text, out var value) ? value : throw new UsageException($"--{name} must be {expected}, not '{text}'");
    }
}

/// <summary>Runs a verb: a <see cref="UsageException"/> prints its message and the usage and exits with 2; <c>--help</c> prints the usage.</summary>
public static class CommandLineVerb
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string usage, TextWriter output, Func<Task<int>> run)
    {
        if (args is ["--help" or "-h"])
        {
            await output.WriteLineAsync(usage);
            return 0;
        }
        try
        {
            return await run();
        }
        catch (UsageException ex)
        {
            await output.WriteLineAsync($"{ex.Message}\n{usage}");
            return 2;
        }
    }
}
