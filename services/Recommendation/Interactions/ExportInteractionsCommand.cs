using System.Globalization;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Interactions;

/// <summary>
/// <c>Personalization.Recommendation export-interactions --tenant T [--output FILE]</c>: writes the tenant's
/// interactions from the event log as a generic CSV (<c>user,item,timestamp,event,context</c>), the format
/// <c>evaluate --interactions</c> reads, so a production log can be evaluated offline or with other tools.
/// </summary>
public static class ExportInteractionsCommand
{
    public const string Verb = "export-interactions";
    private const string Usage = "usage: export-interactions --tenant TENANT [--output FILE] (default: standard output)";

    public static Task<int> RunAsync(string[] args, TextWriter console, CancellationToken cancellationToken) =>
        CommandLineVerb.RunAsync(args, Usage, console, async () =>
        {
            var options = VerbOptions.Parse(args, ["tenant", "output"]);
            var tenant = options.Required("tenant");
            var output = options.Text("output");
            // Progress goes to stderr when the CSV itself goes to stdout.
            var file = await EventLogSource.ReadAsync(tenant, output is null ? Console.Error : console, cancellationToken);
            if (output is null)
            {
                await WriteAsync(file.Interactions, Console.Out);
                return 0;
            }
            await using (var writer = new StreamWriter(output))
                await WriteAsync(file.Interactions, writer);
            await console.WriteLineAsync($"Wrote {file.Interactions.Count:N0} interactions of tenant {tenant} to {output}.");
            return 0;
        });

    private static async Task WriteAsync(IReadOnlyList<Interaction> interactions, TextWriter writer)
    {
        await writer.WriteLineAsync("user,item,timestamp,event,context");
        foreach (var i in interactions)
            await writer.WriteLineAsync($"{Field(i.User)},{Field(i.Item)},{i.Timestamp.ToString("O", CultureInfo.InvariantCulture)},{i.Type},{Field(i.Context ?? "")}");
        await writer.FlushAsync();
    }

    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
