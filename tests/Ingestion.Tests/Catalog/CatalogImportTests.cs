using System.Text;
using Personalization.Ingestion.Catalog;

namespace Personalization.Ingestion.Tests.Catalog;

public class CatalogImportTests
{
    private static Task<ImportParse> ParseAsync(string body, bool ndjson = false) =>
        CatalogImport.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), ndjson, CancellationToken.None);

    [Test]
    public async Task A_json_array_yields_every_item()
    {
        var parsed = await ParseAsync("""[{"id":"a","title":"A"},{"id":"b","title":"B"}]""");

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Items.Select(i => i.ItemId), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Ndjson_takes_one_item_a_line_and_skips_blank_lines()
    {
        var parsed = await ParseAsync("{\"id\":\"a\",\"title\":\"A\"}\r\n\n{\"id\":\"b\",\"title\":\"B\"}\n", ndjson: true);

        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.Items.Select(i => i.ItemId), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Every_bad_item_is_named_by_index_and_nothing_is_accepted()
    {
        var parsed = await ParseAsync("""
            [{"id":"ok","title":"fine"},{"id":"a"},{"id":"b","title":"B","price":-3,"currency":"EUR"},{"id":"ok","title":"again"}]
            """);

        Assert.That(parsed.IsValid, Is.False);
        Assert.That(parsed.Items, Is.Empty);
        Assert.That(parsed.Errors.Keys, Is.EquivalentTo(new[] { "$[1]", "$[2]", "$[3]" }));
        Assert.That(parsed.Errors["$[1]"], Is.EqualTo(new[] { "\"title\" is required." }));
        Assert.That(parsed.Errors["$[3]"], Is.EqualTo(new[] { "\"id\" \"ok\" already appears at $[0]." }));
    }

    [Test]
    public async Task A_line_that_is_not_json_is_that_items_error_and_the_rest_are_still_checked()
    {
        var parsed = await ParseAsync("{\"id\":\"a\",\"title\":\"A\"}\n{not json\n{\"id\":\"c\"}\n", ndjson: true);

        Assert.That(parsed.Errors.Keys, Is.EquivalentTo(new[] { "$[1]", "$[2]" }));
        Assert.That(parsed.Errors["$[1]"][0], Does.StartWith("The line is not valid JSON"));
    }

    [TestCase("""{"id":"a","title":"A"}""")]
    [TestCase("""[{"id":"a","title":"A"}""")]
    [TestCase("""not json""")]
    public async Task A_body_that_is_not_a_json_array_is_refused_as_a_whole(string body)
    {
        var parsed = await ParseAsync(body);

        Assert.That(parsed.Errors.Keys, Is.EqualTo(new[] { "$" }));
        Assert.That(parsed.Errors["$"][0], Does.StartWith("The body must be a JSON array of items"));
    }

    [Test]
    public async Task An_empty_import_is_refused()
    {
        Assert.That((await ParseAsync("[]")).Errors["$"], Is.EqualTo(new[] { "The import holds no items." }));
        Assert.That((await ParseAsync("\n\n", ndjson: true)).Errors["$"], Is.EqualTo(new[] { "The import holds no items." }));
    }

    [Test]
    public async Task More_items_than_the_limit_are_refused()
    {
        var body = "[" + string.Join(',', Enumerable.Range(0, CatalogImport.MaxItems + 1).Select(i => $$"""{"id":"i{{i}}","title":"t"}""")) + "]";

        var parsed = await ParseAsync(body);

        Assert.That(parsed.Errors["$"], Is.EqualTo(new[] { $"The import holds more than {CatalogImport.MaxItems} items; send it in parts." }));
    }
}
