using Personalization.Ingestion.Backfill;

namespace Personalization.Ingestion.Tests.Backfill;

public class GenericCsvMapperTests
{
    private static List<MappedRow> Map(string header, params string[][] rows)
    {
        var mapper = new GenericCsvMapper();
        mapper.ReadHeader(new CsvRecord(0, 1, header.Split(',')));
        return rows.Select((row, i) => mapper.Map(new CsvRecord(i + 1, i + 2, row))).ToList();
    }

    [Test]
    public void Each_row_is_a_track_call_named_by_its_event()
    {
        var call = Map("user,item,event,timestamp,value", ["u1", "sku-9", "Product Rated", "2024-03-01T10:00:00+01:00", "4.5"])[0].Call!;

        Assert.Multiple(() =>
        {
            Assert.That(call.UserId, Is.EqualTo("u1"));
            Assert.That(call.Event, Is.EqualTo("Product Rated"));
            Assert.That(call.Timestamp, Is.EqualTo(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero)));
            Assert.That(call.Properties, Is.EquivalentTo(new Dictionary<string, object> { ["product_id"] = "sku-9", ["value"] = 4.5m }));
            Assert.That(call.MessageId, Does.Match("^generic-[0-9a-f]{32}$"));
        });
    }

    [Test]
    public void Columns_may_come_in_any_order_and_value_is_optional()
    {
        var call = Map("timestamp,event,user,item", ["2024-03-01 10:00:00", "Product Viewed", "u1", "sku-1"])[0].Call!;

        Assert.That(call.Timestamp, Is.EqualTo(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero)), "no offset means UTC");
        Assert.That(call.Properties.Keys, Is.EqualTo(new[] { "product_id" }));
    }

    [Test]
    public void Unix_seconds_are_read_as_timestamps()
    {
        var call = Map("user,item,event,timestamp", ["1", "31", "rated", "1260759144"])[0].Call!;

        Assert.That(call.Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1260759144)));
    }

    [Test]
    public void The_message_id_follows_the_content_not_the_line()
    {
        var rows = Map("user,item,event,timestamp,value",
            ["u1", "a", "Viewed", "2024-03-01T10:00:00Z", "1.50"],
            ["u1", "a", "Viewed", "2024-03-01 10:00:00", "1.5"],
            ["u1", "a", "Viewed", "2024-03-01T10:00:01Z", "1.5"]);

        Assert.That(rows[1].Call!.MessageId, Is.EqualTo(rows[0].Call!.MessageId), "the same interaction written differently");
        Assert.That(rows[2].Call!.MessageId, Is.Not.EqualTo(rows[0].Call!.MessageId));
    }

    [Test]
    public void Rows_the_api_must_judge_are_passed_on_as_they_are()
    {
        var call = Map("user,item,event,timestamp", ["", "a", "", "2024-03-01T10:00:00Z"])[0].Call!;

        Assert.That((call.UserId, call.Event), Is.EqualTo(("", "")));
    }

    [Test]
    public void A_bad_timestamp_or_value_names_its_line()
    {
        Assert.That(() => Map("user,item,event,timestamp", ["u", "a", "e", "soon"]),
            Throws.TypeOf<BackfillException>().With.Message.StartsWith("line 2: timestamp 'soon'"));
        Assert.That(() => Map("user,item,event,timestamp,value", ["u", "a", "e", "2024-03-01T10:00:00Z", "lots"]),
            Throws.TypeOf<BackfillException>().With.Message.EqualTo("line 2: value 'lots' is not a number."));
    }

    [Test]
    public void An_unknown_column_is_refused()
    {
        Assert.That(() => Map("user,item,event,timestamp,rating"),
            Throws.TypeOf<BackfillException>().With.Message.StartsWith("line 1: unknown column 'rating'"));
    }
}
