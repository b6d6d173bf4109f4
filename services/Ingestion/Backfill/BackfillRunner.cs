namespace Personalization.Ingestion.Backfill;

/// <summary>How a run ended.</summary>
public sealed record BackfillResult(BackfillProgress Progress, long ResumedAfter, long LastRow, bool ReadToEnd, CatalogImported? Catalog);

/// <summary>
/// Reads a file row by row, sends its events in batches through the tracking API and, once the whole file is read,
/// its catalog items through the admin API. After each acknowledged batch the checkpoint moves to the batch's last
/// row; a new run of the same file skips the rows up to it. The checkpoint is removed when the file is done, so a
/// later run sends everything again (and stores nothing twice).
/// </summary>
public sealed class BackfillRunner(IngestionClient client, TextWriter output)
{
    public const int CatalogBatchSize = 1_000;

    public async Task<BackfillResult> RunAsync(BackfillOptions options, CancellationToken cancellationToken)
    {
        IRowMapper mapper = options.Format == BackfillFormat.OnlineRetail ? new OnlineRetailMapper() : new GenericCsvMapper();
        var fileLength = new FileInfo(options.File).Length;
        using var checkpointLock = BackfillCheckpoint.Lock(options.Checkpoint);
        var resumeAfter = Resume(options, fileLength);
        var progress = new BackfillProgress(output);
        var batch = new List<TrackCall>(options.BatchSize);
        var lines = new List<long>(options.BatchSize);
        long lastRow = 0, acknowledgedRow = resumeAfter;
        var readToEnd = true;

        using var reader = CsvRecordReader.OpenText(options.File);
        await foreach (var record in CsvRecordReader.ReadAsync(reader, cancellationToken))
        {
            if (record.Number == 0)
            {
                mapper.ReadHeader(record);
                continue;
            }
            if (record.Number > options.MaxRows)
            {
                readToEnd = false;
                break;
            }

            var mapped = mapper.Map(record);
            lastRow = record.Number;
            if (record.Number <= resumeAfter) continue;

            progress.RowRead();
            if (mapped.Call is null)
            {
                progress.Skip(mapped.SkipReason!);
                continue;
            }
            batch.Add(mapped.Call);
            lines.Add(record.Line);
            if (batch.Count == options.BatchSize)
                acknowledgedRow = await SendAsync(record.Number);
        }
        if (lastRow > acknowledgedRow)
            await SendAsync(lastRow);

        CatalogImported? catalog = null;
        if (readToEnd)
        {
            catalog = await ImportCatalogAsync(options, mapper.CatalogItems(), cancellationToken);
            File.Delete(options.Checkpoint);
        }
        return new BackfillResult(progress, resumeAfter, lastRow, readToEnd, catalog);

        async Task<long> SendAsync(long row)
        {
            if (batch.Count > 0)
            {
                BatchAccepted answer;
                try
                {
                    answer = await client.SendBatchAsync(batch, cancellationToken);
                }
                catch (RequestRejectedException rejected)
                {
                    throw new BackfillException(
                        $"the API refused the batch of lines {lines[0]} to {lines[^1]}; rows up to {acknowledgedRow} were acknowledged.\n"
                        + ProblemReport.Describe(rejected.Status, rejected.Body, lines));
                }
                // The API stores a batch's valid rows and dead-letters the others: say which, and carry on.
                if (answer is { Invalid: > 0, Errors: { } errors })
                    output.WriteLine($"  dead-lettered {answer.Invalid} invalid row(s) of lines {lines[0]} to {lines[^1]} (GET /admin/tenants/{{tenant}}/dead-letters):"
                        + ProblemReport.Errors(errors, lines));
                progress.BatchAccepted(batch.Count, answer);
                batch.Clear();
                lines.Clear();
            }
            new BackfillCheckpoint(options.File, fileLength, options.FormatName, row, DateTimeOffset.UtcNow).Save(options.Checkpoint);
            return row;
        }
    }

    /// <summary>The row to resume after: that of a checkpoint made for this file, else 0 (and a first checkpoint, to fail early if it cannot be written).</summary>
    private long Resume(BackfillOptions options, long fileLength)
    {
        var checkpoint = BackfillCheckpoint.Load(options.Checkpoint);
        if (checkpoint is null)
        {
            new BackfillCheckpoint(options.File, fileLength, options.FormatName, 0, DateTimeOffset.UtcNow).Save(options.Checkpoint);
            return 0;
        }
        if (!checkpoint.IsFor(options.File, fileLength, options.FormatName))
            throw new BackfillException(
                $"the checkpoint {options.Checkpoint} was made for {checkpoint.File} ({checkpoint.FileLength:N0} bytes, {checkpoint.Format}), "
                + "not this file as it is now. Delete it to start from the beginning (rows already stored are deduplicated), or pass another --checkpoint.");
        if (checkpoint.Row > 0)
            output.WriteLine($"Resuming after row {checkpoint.Row:N0} (checkpoint {options.Checkpoint}, saved {checkpoint.SavedAt:u}).");
        return checkpoint.Row;
    }

    private async Task<CatalogImported?> ImportCatalogAsync(BackfillOptions options, IReadOnlyList<CatalogItemDraft> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return null;
        if (options.Tenant is null)
        {
            output.WriteLine($"Catalog: {items.Count:N0} items not imported; pass --admin-token and --tenant to import them.");
            return null;
        }

        var total = new CatalogImported(0, 0, 0, 0);
        foreach (var chunk in items.Chunk(CatalogBatchSize))
        {
            try
            {
                var answer = await client.ImportCatalogAsync(options.Tenant, chunk, cancellationToken);
                total = new CatalogImported(total.Received + answer.Received, total.Created + answer.Created, total.Updated + answer.Updated, total.Unchanged + answer.Unchanged);
            }
            catch (RequestRejectedException rejected)
            {
                throw new BackfillException("the catalog import was refused; the events are all stored, so a rerun only repeats the import.\n"
                    + ProblemReport.Describe(rejected.Status, rejected.Body, []));
            }
        }
        return total;
    }
}
