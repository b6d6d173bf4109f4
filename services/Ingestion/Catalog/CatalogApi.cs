using Personalization.Contracts.Catalog;
using Personalization.ServiceDefaults;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Personalization.Ingestion.Api;
using Personalization.Ingestion.Auth;

namespace Personalization.Ingestion.Catalog;

/// <summary>A tenant's catalog through the admin API: upsert, read, list, delete and bulk import items.</summary>
public static class CatalogApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    private const long MaxItemBytes = 128 * 1024;
    private const long MaxImportBytes = 32 * 1024 * 1024;

    public sealed record CatalogItemView(
        string Id,
        string Title,
        string? Description,
        IReadOnlyList<string> Category,
        decimal? Price,
        string? Currency,
        IReadOnlyList<string> Tags,
        string Availability,
        int? StockCount,
        IReadOnlyDictionary<string, JsonElement> Attributes,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt);

    public sealed record CatalogPage(IReadOnlyList<CatalogItemView> Items, string? NextCursor);
    public sealed record ImportOutcome(int Received, int Created, int Updated, int Unchanged);

    public sealed record CatalogServices(IQuerySession Session, CatalogWriter Writer);

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapTenantAdminGroup("/catalog").WithTags("Catalog");

        catalog.MapPut("/items/{itemId}", PutItemAsync).WithSummary("Add or replace a catalog item").AcceptsJson("CatalogItemRequest").WithMetadata(new RequestSizeLimitAttribute(MaxItemBytes));
        catalog.MapGet("/items/{itemId}", GetItemAsync).WithSummary("Read a catalog item");
        catalog.MapGet("/items", ListItemsAsync).WithSummary("List live catalog items, a page at a time, optionally under a category");
        catalog.MapDelete("/items/{itemId}", DeleteItemAsync).WithSummary("Remove a catalog item");
        catalog.MapPost("/import", ImportAsync).WithSummary("Import catalog items in bulk (a JSON array, or NDJSON); all or nothing").AcceptsJson("CatalogImportRequest").WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));
        return app;
    }

    private static async Task<Results<Created<CatalogItemView>, Ok<CatalogItemView>, ValidationProblem>> PutItemAsync(
        string tenantId, string itemId, HttpRequest request, [AsParameters] CatalogServices services, CancellationToken ct)
    {
        if (InvalidItem(itemId) is { } invalid) return invalid;

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return Rejected("$", $"The body is not valid JSON: {ex.Message}");
        }

        CatalogItemInput? item;
        var problems = new List<string>();
        using (body)
            item = CatalogItemParser.Parse(body.RootElement, itemId, problems);
        if (item is null) return Rejected("$", [.. problems]);

        var result = await services.Writer.UpsertAsync(tenantId, [item], ct);
        var view = View(result.Items[0]);
        return result.Created == 1
            ? TypedResults.Created($"/admin/tenants/{tenantId}/catalog/items/{itemId}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<CatalogItemView>, ValidationProblem, ProblemHttpResult>> GetItemAsync(
        string tenantId, string itemId, [AsParameters] CatalogServices services, CancellationToken ct)
    {
        if (InvalidItem(itemId) is { } invalid) return invalid;
        var item = await services.Session.LoadAsync<CatalogItem>(CatalogItem.IdFor(tenantId, itemId), ct);
        return item is { DeletedAt: null } ? TypedResults.Ok(View(item)) : ItemNotFound(tenantId, itemId);
    }

    /// <summary>Live items in item-id order, a page at a time; <c>category</c> matches that path and everything below it.</summary>
    private static async Task<Results<Ok<CatalogPage>, ValidationProblem>> ListItemsAsync(
        string tenantId, string? category, string? cursor, string? limit, [AsParameters] CatalogServices services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, out size) || size is < 1 or > MaxPageSize))
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxPageSize}; got '{limit}'."];
        string? after = null;
        if (cursor is not null && (after = Cursor.Decode(cursor)) is null)
            errors["cursor"] = ["cursor is not one this API returned; start again without it."];
        var path = category is null ? null : CategoryPaths.Split(category);
        if (path is not null && (path.Count == 0 || CategoryPaths.Problems(path).Any()))
            errors["category"] = [$"category must be a path such as \"Home > Lighting\"; got \"{category}\"."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "Invalid query");

        var query = services.Session.Query<CatalogItem>().Where(i => i.TenantId == tenantId && i.DeletedAt == null);
        if (path is not null)
        {
            var exact = CategoryPaths.Join(path)!;
            var below = exact + CategoryPaths.Separator;
            query = query.Where(i => i.CategoryPath == exact || i.CategoryPath!.StartsWith(below));
        }
        if (after is not null)
            query = query.Where(i => i.ItemId.CompareTo(after) > 0);

        var page = await query.OrderBy(i => i.ItemId).Take(size + 1).ToListAsync(ct);
        var next = page.Count > size ? Cursor.Encode(page[size - 1].ItemId) : null;
        return TypedResults.Ok(new CatalogPage(page.Take(size).Select(View).ToList(), next));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteItemAsync(
        string tenantId, string itemId, [AsParameters] CatalogServices services, CancellationToken ct)
    {
        if (InvalidItem(itemId) is { } invalid) return invalid;
        return await services.Writer.DeleteAsync(tenantId, itemId, ct) ? TypedResults.NoContent() : ItemNotFound(tenantId, itemId);
    }

    /// <summary>A JSON array of items, or NDJSON when Content-Type is application/x-ndjson; all or nothing.</summary>
    private static async Task<Results<Ok<ImportOutcome>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        string tenantId, HttpRequest request, [AsParameters] CatalogServices services, CancellationToken ct)
    {
                var mediaType = request.GetTypedHeaders().ContentType?.MediaType.Value;
        var ndjson = string.Equals(mediaType, CatalogImport.NdjsonMediaType, StringComparison.OrdinalIgnoreCase);
        if (!ndjson && mediaType is not null && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(
                title: "Unsupported media type",
                detail: $"Send a JSON array as application/json, or one item a line as {CatalogImport.NdjsonMediaType}; got {mediaType}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);

        var parsed = await CatalogImport.ParseAsync(request.Body, ndjson, ct);
        if (!parsed.IsValid)
            return TypedResults.ValidationProblem(parsed.Errors, title: "The import was rejected; nothing was stored.");

        var result = await services.Writer.UpsertAsync(tenantId, parsed.Items, ct);
        return TypedResults.Ok(new ImportOutcome(parsed.Items.Count, result.Created, result.Updated, result.Unchanged));
    }

    private static CatalogItemView View(CatalogItem item) => new(
        item.ItemId, item.Title, item.Description, item.Category, item.Price, item.Currency, item.Tags,
        AvailabilityNames.Of(item.Availability), item.StockCount, item.Attributes, item.CreatedAt, item.UpdatedAt);

    private static ValidationProblem? InvalidItem(string itemId) =>
        CatalogItemParser.IsValidId(itemId)
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["itemId"] = [$"'{itemId}' is not a valid item id: use {CatalogItemParser.IdRule}."] },
                title: "Invalid id");

    private static ValidationProblem Rejected(string path, params string[] problems) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = problems }, title: "The item was rejected; nothing was stored.");

    private static ProblemHttpResult ItemNotFound(string tenantId, string itemId) =>
        TypedResults.Problem(title: "Item not found", detail: $"Tenant '{tenantId}' has no catalog item '{itemId}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The last item id of a page, opaque to clients so the paging scheme can change.</summary>
    private static class Cursor
    {
        public static string Encode(string itemId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(itemId));

        public static string? Decode(string cursor)
        {
            try
            {
                var itemId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
                return CatalogItemParser.IsValidId(itemId) ? itemId : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
