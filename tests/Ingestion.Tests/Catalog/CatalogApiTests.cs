using Personalization.Contracts.Catalog;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.Ingestion.Tests.Catalog;

/// <summary>The catalog admin API of a real ingestion process, over a database of this fixture's own; each test its own tenant.</summary>
public class CatalogApiTests
{
    private const string AdminToken = "catalog-admin-token";

    private sealed record ItemView(
        string Id, string Title, string? Description, List<string> Category, decimal? Price, string? Currency, List<string> Tags,
        string Availability, int? StockCount, Dictionary<string, JsonElement> Attributes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    private sealed record Page(List<ItemView> Items, string? NextCursor);
    private sealed record ImportOutcome(int Received, int Created, int Updated, int Unchanged);

    private TestDatabase _database = null!;
    private ServiceProcess _ingestion = null!;
    private string _tenant = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var infra = await LocalInfrastructure.EnsureStartedAsync();
        _database = await TestDatabase.CreateAsync("catalog_api");
        _ingestion = await ServiceProcess.StartAsync("services/Ingestion", new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = _database.ConnectionString,
            ["ConnectionStrings__RabbitMQ"] = infra.RabbitMqConnectionString,
            ["Messaging__QueuePrefix"] = "catalog-tests-" + Guid.NewGuid().ToString("N")[..8],
            ["Messaging__TemporaryQueues"] = "true",
            ["Admin__Token"] = AdminToken,
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_ingestion is not null) await _ingestion.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [SetUp]
    public void NewTenant() => _tenant = "cat-" + Guid.NewGuid().ToString("N")[..10];

    private string Items(string? rest = null) => $"/admin/tenants/{_tenant}/catalog/items{rest}";

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? token = AdminToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _ingestion.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> PutAsync(string itemId, string json) => SendAsync(HttpMethod.Put, Items($"/{itemId}"), Json(json));

    private Task<HttpResponseMessage> ImportAsync(string body, string mediaType = "application/json") =>
        SendAsync(HttpMethod.Post, $"/admin/tenants/{_tenant}/catalog/import", new StringContent(body, Encoding.UTF8, mediaType));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Test]
    public async Task An_item_is_created_then_updated_and_read_back()
    {
        using var created = await PutAsync("lamp-1", """
            {"title":"Desk lamp","category":"Home > Lighting","price":24.5,"currency":"EUR","tags":["brass"],"stockCount":3,"attributes":{"colour":"gold"}}
            """);
        var first = await ReadAsync<ItemView>(created, HttpStatusCode.Created);
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo(Items("/lamp-1")));

        using var updated = await PutAsync("lamp-1", """{"title":"Desk lamp","price":19.99,"currency":"EUR","availability":"discontinued"}""");
        var second = await ReadAsync<ItemView>(updated, HttpStatusCode.OK);

        using var read = await SendAsync(HttpMethod.Get, Items("/lamp-1"));
        var item = await ReadAsync<ItemView>(read, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(first.Category, Is.EqualTo(new[] { "Home", "Lighting" }));
            Assert.That(first.Availability, Is.EqualTo("in_stock"));
            Assert.That(first.Attributes["colour"].GetString(), Is.EqualTo("gold"));
            Assert.That(item.Price, Is.EqualTo(19.99m));
            Assert.That(item.Availability, Is.EqualTo("discontinued"));
            Assert.That(item.Category, Is.Empty, "a PUT replaces the whole item");
            Assert.That(item.CreatedAt, Is.EqualTo(first.CreatedAt));
            Assert.That(item.UpdatedAt, Is.EqualTo(second.UpdatedAt).And.GreaterThan(first.UpdatedAt));
        });
    }

    [Test]
    public async Task Putting_the_same_content_again_changes_nothing()
    {
        const string json = """{"title":"Mug","price":5,"currency":"GBP","attributes":{"z":1,"a":{"k":[1,2]},"m":"x"}}""";
        using var first = await PutAsync("mug", json);
        var created = await ReadAsync<ItemView>(first, HttpStatusCode.Created);

        using var again = await PutAsync("mug", json);

        Assert.That((await ReadAsync<ItemView>(again, HttpStatusCode.OK)).UpdatedAt, Is.EqualTo(created.UpdatedAt));
    }

    [Test]
    public async Task A_deleted_item_is_gone_from_the_api_but_kept_as_a_tombstone()
    {
        using var _ = await PutAsync("old", """{"title":"Old thing"}""");

        using var deleted = await SendAsync(HttpMethod.Delete, Items("/old"));
        using var read = await SendAsync(HttpMethod.Get, Items("/old"));
        using var deletedAgain = await SendAsync(HttpMethod.Delete, Items("/old"));
        using var listed = await SendAsync(HttpMethod.Get, Items());

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ProblemAsync(read, HttpStatusCode.NotFound);
        await ProblemAsync(deletedAgain, HttpStatusCode.NotFound);
        Assert.That((await ReadAsync<Page>(listed, HttpStatusCode.OK)).Items, Is.Empty);
        Assert.That(await _database.ScalarAsync<string>(
            "select data->>'Title' from ingestion.mt_doc_catalogitem where id = @id and data->>'DeletedAt' is not null", ("id", $"{_tenant}/old")),
            Is.EqualTo("Old thing"), "the tombstone keeps the last content for later readers");

        using var revived = await PutAsync("old", """{"title":"Old thing"}""");
        Assert.That(revived.StatusCode, Is.EqualTo(HttpStatusCode.Created), "putting a deleted item back creates it");
    }

    [Test]
    public async Task Deleting_an_unknown_item_is_404()
    {
        using var response = await SendAsync(HttpMethod.Delete, Items("/never-there"));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_list_pages_through_items_in_id_order_and_filters_by_category()
    {
        var items = Enumerable.Range(0, 7).Select(i => $$"""{"id":"item-{{i}}","title":"Item {{i}}","category":"{{(i % 2 == 0 ? "Home > Lighting" : "Home > Lighting2")}}"}""");
        using var imported = await ImportAsync("[" + string.Join(',', items) + """,{"id":"lamp-x","title":"Lamp","category":"Home > Lighting > Lamps"}]""");
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await SendAsync(HttpMethod.Get, Items($"?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}"));
            var page = await ReadAsync<Page>(response, HttpStatusCode.OK);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        using var lighting = await SendAsync(HttpMethod.Get, Items("?category=" + Uri.EscapeDataString("Home>Lighting")));
        var filtered = await ReadAsync<Page>(lighting, HttpStatusCode.OK);
        using var wildcard = await SendAsync(HttpMethod.Get, Items("?category=" + Uri.EscapeDataString("Ho%")));

        Assert.That(seen, Is.EqualTo(seen.Order(StringComparer.Ordinal)).And.Count.EqualTo(8).And.Unique);
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(filtered.Items.Select(i => i.Id), Is.EquivalentTo(new[] { "item-0", "item-2", "item-4", "item-6", "lamp-x" }),
            "a category matches itself and what lies below it, not a sibling that starts with the same name");
        Assert.That((await ReadAsync<Page>(wildcard, HttpStatusCode.OK)).Items, Is.Empty, "'%' in a category is a character, not a wildcard");
    }

    [Test]
    public async Task An_import_counts_created_updated_and_unchanged_items()
    {
        using var first = await ImportAsync("""[{"id":"a","title":"A"},{"id":"b","title":"B"}]""");
        Assert.That(await ReadAsync<ImportOutcome>(first, HttpStatusCode.OK), Is.EqualTo(new ImportOutcome(2, 2, 0, 0)));

        using var second = await ImportAsync("{\"id\":\"a\",\"title\":\"A\"}\n{\"id\":\"b\",\"title\":\"B2\"}\n{\"id\":\"c\",\"title\":\"C\"}\n", "application/x-ndjson");

        Assert.That(await ReadAsync<ImportOutcome>(second, HttpStatusCode.OK), Is.EqualTo(new ImportOutcome(3, 1, 1, 1)));
    }

    [Test]
    public async Task A_large_import_is_written_in_batches_in_one_go()
    {
        var items = Enumerable.Range(0, 1_234).Select(i => $$"""{"id":"sku-{{i:D5}}","title":"Product {{i}}","price":{{i}}.99,"currency":"GBP"}""");

        using var response = await ImportAsync("[" + string.Join(',', items) + "]");

        Assert.That(await ReadAsync<ImportOutcome>(response, HttpStatusCode.OK), Is.EqualTo(new ImportOutcome(1_234, 1_234, 0, 0)));
        Assert.That(await _database.ScalarAsync<long>(
            "select count(*) from ingestion.mt_doc_catalogitem where data->>'TenantId' = @tenant", ("tenant", _tenant)), Is.EqualTo(1_234));
    }

    [Test]
    public async Task An_import_with_bad_items_names_each_by_index_and_stores_nothing()
    {
        using var response = await ImportAsync("""[{"id":"good","title":"Good"},{"id":"bad","price":-1,"currency":"EUR"},{"title":"no id"}]""");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "$[1]", "$[2]" }));
        Assert.That(errors.GetProperty("$[1]").EnumerateArray().Select(e => e.GetString()),
            Is.EquivalentTo(new[] { "\"title\" is required.", "\"price\" must not be negative." }));
        using var good = await SendAsync(HttpMethod.Get, Items("/good"));
        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "all or nothing");
    }

    [Test]
    public async Task Bad_requests_get_problem_details_never_a_500()
    {
        using var notJson = await PutAsync("a", "{not json");
        using var badItemId = await PutAsync("bad%20id", """{"title":"t"}""");
        using var badTenant = await SendAsync(HttpMethod.Get, "/admin/tenants/Bad!/catalog/items/a");
        using var badLimit = await SendAsync(HttpMethod.Get, Items("?limit=0"));
        using var wordLimit = await SendAsync(HttpMethod.Get, Items("?limit=ten"));
        using var badCursor = await SendAsync(HttpMethod.Get, Items("?cursor=!!"));
        using var badCategory = await SendAsync(HttpMethod.Get, Items("?category=" + Uri.EscapeDataString("Home > ")));
        using var csv = await ImportAsync("id,title\na,A", "text/csv");
        using var nul = await PutAsync("nul", """{"title":"a\u0000b","attributes":{"k":"\ud83d"}}""");
        using var hugeNumber = await PutAsync("huge", """{"title":"t","attributes":{"weight":1e200000}}""");
        using var nulCategory = await SendAsync(HttpMethod.Get, Items("?category=a%00b"));
        using var tooLarge = await PutAsync("big", JsonSerializer.Serialize(new { title = "t", description = new string('d', 200_000) }));

        await ProblemAsync(notJson, HttpStatusCode.BadRequest);
        Assert.That((await ProblemAsync(badItemId, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("itemId")[0].GetString(),
            Does.Contain("is not a valid item id"));
        await ProblemAsync(badTenant, HttpStatusCode.BadRequest);
        await ProblemAsync(badLimit, HttpStatusCode.BadRequest);
        Assert.That((await ProblemAsync(wordLimit, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("limit")[0].GetString(),
            Is.EqualTo("limit must be a whole number from 1 to 500; got 'ten'."));
        await ProblemAsync(badCursor, HttpStatusCode.BadRequest);
        await ProblemAsync(badCategory, HttpStatusCode.BadRequest);
        await ProblemAsync(csv, HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(nul, HttpStatusCode.BadRequest);
        Assert.That((await ProblemAsync(hugeNumber, HttpStatusCode.BadRequest)).GetProperty("errors").ToString(), Does.Contain("attributes.weight"));
        await ProblemAsync(nulCategory, HttpStatusCode.BadRequest);
        await ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task The_catalog_needs_the_admin_credential()
    {
        using var none = await SendAsync(HttpMethod.Get, Items(), token: null);
        using var wrong = await SendAsync(HttpMethod.Put, Items("/a"), Json("""{"title":"t"}"""), token: "guess");

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
