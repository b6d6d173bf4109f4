using System.IO.Compression;
using System.Text;
using Personalization.Ingestion.Backfill;

namespace Personalization.Ingestion.Tests.Backfill;

public class CsvRecordReaderTests
{
    private static async Task<List<CsvRecord>> ReadAsync(string csv)
    {
        var records = new List<CsvRecord>();
        await foreach (var record in CsvRecordReader.ReadAsync(new StringReader(csv), CancellationToken.None))
            records.Add(record);
        return records;
    }

    [Test]
    public async Task Quoted_fields_may_hold_commas_quotes_and_line_breaks()
    {
        var records = await ReadAsync("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\n\"two\nlines\",,\"\"\n");

        Assert.That(records.Select(r => r.Fields), Is.EqualTo(new[]
        {
            new[] { "a", "b", "c" },
            new[] { "x, y", "say \"hi\"", "3" },
            new[] { "two\nlines", "", "" },
        }));
        Assert.That(records.Select(r => (r.Number, r.Line)), Is.EqualTo(new[] { (0L, 1L), (1L, 2L), (2L, 3L) }));
    }

    [Test]
    public async Task Blank_lines_are_skipped_and_line_numbers_still_count_them()
    {
        var records = await ReadAsync("h\n\n1\n\n2");

        Assert.That(records.Select(r => (r.Number, r.Line, r.Fields[0])), Is.EqualTo(new[] { (0L, 1L, "h"), (1L, 3L, "1"), (2L, 5L, "2") }));
    }

    [Test]
    public void A_quote_never_closed_is_an_error_naming_its_line()
    {
        Assert.That(async () => await ReadAsync("h\n\"open,1\nmore"),
            Throws.TypeOf<BackfillException>().With.Message.EqualTo("line 2: a quoted field is never closed."));
    }

    [Test]
    public async Task A_gzipped_file_is_read_as_text()
    {
        var path = Path.Combine(Path.GetTempPath(), $"csv-{Guid.NewGuid():N}.csv.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("a,b\n\"1\",\"£2\"\n"));
        try
        {
            using var reader = CsvRecordReader.OpenText(path);
            var records = new List<CsvRecord>();
            await foreach (var record in CsvRecordReader.ReadAsync(reader, CancellationToken.None))
                records.Add(record);

            Assert.That(records[1].Fields, Is.EqualTo(new[] { "1", "£2" }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
