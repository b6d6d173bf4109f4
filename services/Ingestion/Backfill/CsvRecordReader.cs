using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Personalization.Ingestion.Backfill;

/// <summary>One CSV record: its number (the header is 0, data rows count from 1) and the file line it starts on.</summary>
public sealed record CsvRecord(long Number, long Line, IReadOnlyList<string> Fields);

/// <summary>
/// Streams RFC 4180 CSV a record at a time, so a file of any size is never held in memory: fields separated by
/// commas, optionally quoted, a quote inside quotes doubled, line breaks allowed inside quotes. Blank lines are skipped.
/// </summary>
public static class CsvRecordReader
{
    /// <summary>Opens a .csv file, or a gzipped one when the name ends in .gz.</summary>
    public static StreamReader OpenText(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    public static async IAsyncEnumerable<CsvRecord> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long line = 0, number = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (text.Length == 0) continue;

            var firstLine = line;
            fields.Clear();
            field.Clear();
            var quoted = false;
            var atFieldStart = true;
            while (true)
            {
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (quoted)
                    {
                        if (c != '"') field.Append(c);
                        else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                        else quoted = false;
                    }
                    else if (c == ',')
                    {
                        fields.Add(field.ToString());
                        field.Clear();
                        atFieldStart = true;
                        continue;
                    }
                    else if (c == '"' && atFieldStart) quoted = true;
                    else field.Append(c);
                    atFieldStart = false;
                }

                if (!quoted) break;
                // A quoted field runs on to the next line; the break it holds is part of the value.
                text = await reader.ReadLineAsync(cancellationToken)
                    ?? throw new BackfillException($"line {firstLine}: a quoted field is never closed.");
                line++;
                field.Append('\n');
            }
            fields.Add(field.ToString());
            yield return new CsvRecord(number++, firstLine, fields.ToArray());
        }
    }
}
