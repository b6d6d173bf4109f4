using System.Text;
using System.Text.Json;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Tests.Validation;

/// <summary>Limits checked against PostgreSQL 15: each "false" case is one it refuses with "value overflows numeric format".</summary>
public class StorableNumbersTests
{
    [TestCase("42", true)]
    [TestCase("-3.25e2", true)]
    [TestCase("1e131071", true)]
    [TestCase("1e131072", false)]
    [TestCase("1e200000", false)]
    [TestCase("1e1000000000000000", false)]
    [TestCase("123.45e131069", true)]
    [TestCase("123.45e131070", false)]
    [TestCase("0.0001e131075", true)]
    [TestCase("0.0001e131076", false)]
    [TestCase("1.5e-16382", true)]
    [TestCase("1.5e-16383", false)]
    [TestCase("0e200000", true)]
    [TestCase("0e-20000", false)]
    [TestCase("1E+131072", false)]
    public void Numbers_are_storable_within_postgres_numeric_limits(string literal, bool storable)
    {
        Assert.That(StorableNumbers.IsStorable(Encoding.UTF8.GetBytes(literal)), Is.EqualTo(storable));
    }

    [Test]
    public void The_path_of_the_first_unstorable_number_is_named()
    {
        using var document = JsonDocument.Parse("""{"properties":{"ok":1.5,"list":[1,{"huge":1e200000}]}}""");
        Assert.That(StorableNumbers.FindUnstorable(document.RootElement), Is.EqualTo("$.properties.list[1].huge"));
    }

    [Test]
    public void A_message_with_an_unstorable_number_is_rejected_before_it_reaches_the_store()
    {
        var result = SegmentMessageParser.ParseBatch(
            """{"batch":[{"type":"track","event":"x","userId":"u1","properties":{"price":1e200000}}]}"""u8.ToArray(),
            new EventOrigin("tenant-a", "web", DateTimeOffset.UtcNow));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors["batch[0]"].Single(), Does.Contain("\"$.properties.price\" is a number too large or too precise to store"));
    }
}
