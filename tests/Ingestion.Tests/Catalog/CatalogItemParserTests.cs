using Personalization.Contracts.Catalog;
using System.Text.Json;
using Personalization.Ingestion.Catalog;

namespace Personalization.Ingestion.Tests.Catalog;

public class CatalogItemParserTests
{
    private static (CatalogItemInput? Item, List<string> Problems) Parse(string json, string? routeId = null)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        return (CatalogItemParser.Parse(document.RootElement, routeId, problems), problems);
    }

    [Test]
    public void A_full_item_is_read_and_normalized()
    {
        var (item, problems) = Parse("""
            {"id":"lamp-1","title":"  Desk lamp ","description":"Brass","category":"Home > Lighting","price":24.50,"currency":"gbp",
             "tags":["brass","desk"],"availability":"Out_Of_Stock","stockCount":0,"attributes":{"colour":"gold","size":{"h":40}}}
            """);

        Assert.That(problems, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(item!.ItemId, Is.EqualTo("lamp-1"));
            Assert.That(item.Title, Is.EqualTo("Desk lamp"));
            Assert.That(item.Category, Is.EqualTo(new[] { "Home", "Lighting" }));
            Assert.That(item.Price, Is.EqualTo(24.5m));
            Assert.That(item.Currency, Is.EqualTo("GBP"));
            Assert.That(item.Tags, Is.EqualTo(new[] { "brass", "desk" }));
            Assert.That(item.Availability, Is.EqualTo(Availability.OutOfStock));
            Assert.That(item.StockCount, Is.Zero);
            Assert.That(item.Attributes["size"].GetProperty("h").GetInt32(), Is.EqualTo(40));
        });
    }

    [Test]
    public void A_category_may_be_a_path_or_an_array()
    {
        var (fromPath, _) = Parse("""{"id":"a","title":"t","category":"Home>Lighting > Lamps"}""");
        var (fromArray, _) = Parse("""{"id":"a","title":"t","category":["Home","Lighting","Lamps"]}""");

        Assert.That(fromPath!.Category, Is.EqualTo(fromArray!.Category));
        Assert.That(CategoryPaths.Join(fromPath.Category), Is.EqualTo("Home > Lighting > Lamps"));
    }

    [Test]
    public void Missing_id_and_title_are_both_named()
    {
        var (item, problems) = Parse("""{"description":"no id, no title"}""");

        Assert.That(item, Is.Null);
        Assert.That(problems, Is.EquivalentTo(new[] { "\"id\" is required.", "\"title\" is required." }));
    }

    [TestCase("""{"id":"a","title":"t","price":-1,"currency":"EUR"}""", "\"price\" must not be negative.")]
    [TestCase("""{"id":"a","title":"t","price":"ten","currency":"EUR"}""", "\"price\" must be a decimal number.")]
    [TestCase("""{"id":"a","title":"t","price":10,"currency":"EURO"}""", "\"currency\" \"EURO\" is not an ISO 4217 currency code")]
    [TestCase("""{"id":"a","title":"t","price":10,"currency":"ABC"}""", "\"currency\" \"ABC\" is not an ISO 4217 currency code")]
    [TestCase("""{"id":"a","title":"t","price":10}""", "\"currency\" is required with a price")]
    [TestCase("""{"id":"a","title":"t","currency":"EUR"}""", "\"currency\" is given without a \"price\".")]
    [TestCase("""{"id":"a b","title":"t"}""", "is not a valid item id")]
    [TestCase("""{"id":"a/b","title":"t"}""", "is not a valid item id")]
    [TestCase("""{"id":true,"title":"t"}""", "\"id\" must be a string or a number.")]
    [TestCase("""{"id":"a","title":42}""", "\"title\" must be a string.")]
    [TestCase("""{"id":"a","title":"t","category":"Home > > Lamps"}""", "\"category\" has an empty level.")]
    [TestCase("""{"id":"a","title":"t","category":["Home",3]}""", "\"category\" must be a path")]
    [TestCase("""{"id":"a","title":"t","tags":"one"}""", "\"tags\" must be an array of strings.")]
    [TestCase("""{"id":"a","title":"t","availability":"maybe"}""", "\"availability\" must be one of \"in_stock\", \"out_of_stock\", \"discontinued\".")]
    [TestCase("""{"id":"a","title":"t","stockCount":-2}""", "\"stockCount\" must be a whole number, 0 or more.")]
    [TestCase("""{"id":"a","title":"t","stockCount":1.5}""", "\"stockCount\" must be a whole number, 0 or more.")]
    [TestCase("""{"id":"a","title":"t","attributes":[1]}""", "\"attributes\" must be an object")]
    [TestCase("""{"id":"a","title":"t","imageUrl":"x"}""", "\"imageUrl\" is not a catalog field; put custom data in \"attributes\".")]
    [TestCase("""[1,2]""", "An item must be a JSON object.")]
    [TestCase("""{"id":"a","title":"a\u0000b"}""", "\"title\" holds a value that cannot be stored")]
    [TestCase("""{"id":"a","title":"cut \ud83d"}""", "\"title\" holds a value that cannot be stored")]
    [TestCase("""{"id":"a","title":"t","tags":["ok","\udc00"]}""", "\"tags[1]\" holds a value that cannot be stored")]
    [TestCase("""{"id":"a","title":"t","attributes":{"size":{"unit":"\u0000"}}}""", "\"attributes.size.unit\" holds a value that cannot be stored")]
    [TestCase("""{"id":"a","title":"t","attributes":{"k\ud800":1}}""", "\"attributes (a name in it)\" holds a value that cannot be stored")]
    [TestCase("""{"id":"a","title":"t","attributes":{"weight":1e200000}}""", "\"attributes.weight\" holds a value that cannot be stored")]
    public void An_invalid_field_is_named_with_its_reason(string json, string expected)
    {
        var (item, problems) = Parse(json);

        Assert.That(item, Is.Null);
        Assert.That(problems, Has.Some.Contains(expected));
    }

    [Test]
    public void Fields_over_their_limits_are_refused()
    {
        var json = JsonSerializer.Serialize(new
        {
            id = new string('x', 129),
            title = new string('t', CatalogItemParser.MaxTitleLength + 1),
            description = new string('d', CatalogItemParser.MaxDescriptionLength + 1),
            category = Enumerable.Range(0, CategoryPaths.MaxDepth + 1).Select(i => $"c{i}"),
            tags = Enumerable.Range(0, CatalogItemParser.MaxTags + 1).Select(i => $"t{i}"),
            attributes = Enumerable.Range(0, CatalogItemParser.MaxAttributes + 1).ToDictionary(i => $"a{i}", i => i),
        });

        var (_, problems) = Parse(json);

        Assert.That(problems, Has.Count.EqualTo(6), string.Join("\n", problems));
    }

    [Test]
    public void A_numeric_id_is_kept_as_text()
    {
        Assert.That(Parse("""{"id":85123,"title":"t"}""").Item!.ItemId, Is.EqualTo("85123"));
    }

    [Test]
    public void The_url_names_the_item_and_a_different_body_id_is_refused()
    {
        Assert.That(Parse("""{"title":"t"}""", routeId: "from-url").Item!.ItemId, Is.EqualTo("from-url"));
        Assert.That(Parse("""{"id":"other","title":"t"}""", routeId: "from-url").Problems,
            Is.EqualTo(new[] { "\"id\" is \"other\" but the URL names item \"from-url\"." }));
    }

    [TestCase("""{"id":"a","title":"t"}""", Availability.InStock)]
    [TestCase("""{"id":"a","title":"t","stockCount":3}""", Availability.InStock)]
    [TestCase("""{"id":"a","title":"t","stockCount":0}""", Availability.OutOfStock)]
    [TestCase("""{"id":"a","title":"t","stockCount":0,"availability":"discontinued"}""", Availability.Discontinued)]
    public void Availability_defaults_from_the_stock_count(string json, Availability expected)
    {
        Assert.That(Parse(json).Item!.Availability, Is.EqualTo(expected));
    }

    [Test]
    public void Same_content_ignores_attribute_order_and_timestamps()
    {
        var input = Parse("""{"id":"a","title":"t","price":2.50,"currency":"EUR","attributes":{"b":{"y":1,"x":2},"a":[1,2]}}""").Item!;
        var stored = Parse("""{"id":"a","title":"t","price":2.5,"currency":"EUR","attributes":{"a":[1,2],"b":{"x":2,"y":1}}}""").Item!
            .ToItem("tenant", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        Assert.That(input.SameContentAs(stored), Is.True);
        Assert.That(input.SameContentAs(stored with { Title = "other" }), Is.False);
        Assert.That(input.SameContentAs(stored with { DeletedAt = DateTimeOffset.UnixEpoch }), Is.False, "a deleted item is never the same");
    }
}
