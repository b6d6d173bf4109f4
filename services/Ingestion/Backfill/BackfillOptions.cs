using Personalization.Ingestion.Sources;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Backfill;

public enum BackfillFormat
{
    OnlineRetail,
    Generic,
}

/// <summary>The backfill verb's command line.</summary>
public sealed record BackfillOptions(
    BackfillFormat Format,
    string File,
    Uri Url,
    string WriteKey,
    string? AdminToken,
    string? Tenant,
    string Checkpoint,
    int BatchSize,
    long? MaxRows)
{
    public const int DefaultBatchSize = 100;

    public const string Usage = """
        usage: backfill --format online-retail|generic --file PATH --url URL --write-key KEY
                        [--admin-token TOKEN --tenant TENANT] [--checkpoint PATH] [--batch-size N] [--max-rows N]

          --format       online-retail: the UCI Online Retail export (InvoiceNo,StockCode,Description,Quantity,
                         InvoiceDate,UnitPrice,CustomerID,Country); generic: user,item,event,timestamp[,value]
          --file         .csv or .csv.gz, read as a stream
          --url          the ingestion API, e.g. http://127.0.0.1:5100
          --write-key    a write key of the tenant's source; events go through /v1/batch like any publisher's
          --admin-token  with --tenant: also import the products into that tenant's catalog (online-retail);
                         the tenant must be the write key's tenant
          --checkpoint   where progress is kept (default: PATH.backfill-checkpoint); a rerun resumes after it
          --batch-size   events per request (default 100, at most 2500)
          --max-rows     stop after this row of the file, keeping the checkpoint (a trial, or a run in parts)
        """;

    public string FormatName => Format == BackfillFormat.OnlineRetail ? "online-retail" : "generic";

    public static (BackfillOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                return (null, $"Expected --name value pairs; '{args[i]}' has no value.");
            if (!values.TryAdd(args[i][2..], args[i + 1]))
                return (null, $"{args[i]} is given twice.");
        }

        string[] known = ["format", "file", "url", "write-key", "admin-token", "tenant", "checkpoint", "batch-size", "max-rows"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            return (null, $"--{unknown} is not an option.");
        if (new[] { "format", "file", "url", "write-key" }.FirstOrDefault(k => !values.ContainsKey(k)) is { } missing)
            return (null, $"--{missing} is required.");

        BackfillFormat? format = values["format"] switch
        {
            "online-retail" => BackfillFormat.OnlineRetail,
            "generic" => BackfillFormat.Generic,
            _ => null,
        };
        if (format is null)
            return (null, $"--format must be online-retail or generic; got '{values["format"]}'.");
        var file = Path.GetFullPath(values["file"]);
        if (!System.IO.File.Exists(file))
            return (null, $"--file {file} does not exist.");
        if (!Uri.TryCreate(values["url"], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return (null, $"--url must be an http(s) URL; got '{values["url"]}'.");

        var adminToken = values.GetValueOrDefault("admin-token");
        var tenant = values.GetValueOrDefault("tenant");
        if ((adminToken is null) != (tenant is null))
            return (null, "--admin-token and --tenant go together.");
        if (tenant is not null && !SourceNames.IsValid(tenant))
            return (null, $"--tenant '{tenant}' is not a valid tenant id: use {SourceNames.Rule}.");

        var batchSize = DefaultBatchSize;
        if (values.TryGetValue("batch-size", out var size)
            && (!int.TryParse(size, out batchSize) || batchSize is < 1 or > SegmentMessageParser.MaxMessagesPerBatch))
            return (null, $"--batch-size must be 1 to {SegmentMessageParser.MaxMessagesPerBatch}; got '{size}'.");
        long? maxRows = null;
        if (values.TryGetValue("max-rows", out var rows))
        {
            if (!long.TryParse(rows, out var parsed) || parsed < 1)
                return (null, $"--max-rows must be a whole number, 1 or more; got '{rows}'.");
            maxRows = parsed;
        }

        // A trailing slash keeps a path prefix (an API behind a proxy) when relative URLs are resolved against it.
        var baseUrl = new Uri(url.ToString().TrimEnd('/') + "/");
        var checkpoint = Path.GetFullPath(values.GetValueOrDefault("checkpoint") ?? BackfillCheckpoint.DefaultPathFor(file));
        return (new BackfillOptions(format.Value, file, baseUrl, values["write-key"], adminToken, tenant, checkpoint, batchSize, maxRows), null);
    }
}
