using System.Runtime.InteropServices;

namespace Personalization.Ingestion.Backfill;

/// <summary>
/// <c>Personalization.Ingestion backfill ...</c>: imports historical interactions from a CSV file through a running
/// ingestion API, so validation, deduplication and identity apply to them as to live events.
/// Exit codes: 0 done (or stopped at --max-rows), 1 stopped by an error, 2 bad arguments, 130 interrupted.
/// </summary>
public static class BackfillCommand
{
    public const string Verb = "backfill";

    public static async Task<int> RunAsync(string[] args)
    {
        var (options, error) = BackfillOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"{error}\n\n{BackfillOptions.Usage}");
            return 2;
        }

        // Ctrl+C or a job runner's SIGTERM stops at once: the checkpoint only ever names acknowledged batches.
        using var cancel = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(100) };
        var client = new IngestionClient(http, options.WriteKey, options.AdminToken, Console.Out);
        Console.WriteLine($"Backfilling {options.File} ({options.FormatName}) into {options.Url}, {options.BatchSize} events a request.");
        try
        {
            var result = await new BackfillRunner(client, Console.Out).RunAsync(options, cancel.Token);
            Console.WriteLine(Summary(result, options));
            return 0;
        }
        catch (BackfillException ex)
        {
            await Console.Error.WriteLineAsync($"Backfill stopped: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Backfill interrupted; the same command resumes from {options.Checkpoint}.");
            return 130;
        }

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            cancel.Cancel();
        }
    }

    private static string Summary(BackfillResult result, BackfillOptions options)
    {
        var progress = result.Progress;
        var lines = new List<string>
        {
            result.ReadToEnd
                ? $"Done in {progress.Elapsed.TotalSeconds:N1} s: {progress.Line()}."
                : $"Stopped after row {result.LastRow:N0} (--max-rows) in {progress.Elapsed.TotalSeconds:N1} s: {progress.Line()}. "
                  + $"The same command without --max-rows resumes from {options.Checkpoint}.",
        };
        if (result.ResumedAfter > 0)
            lines.Add($"  resumed after row {result.ResumedAfter:N0}");
        lines.AddRange(progress.SkipLines());
        if (result.Catalog is { } catalog)
            lines.Add($"Catalog: {catalog.Received:N0} items, {catalog.Created:N0} created, {catalog.Updated:N0} updated, {catalog.Unchanged:N0} unchanged.");
        return string.Join('\n', lines);
    }
}
