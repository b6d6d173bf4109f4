using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using NJsonSchema;
using Microsoft.OpenApi.Reader;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// Each service's OpenAPI document as a platform team would take it to generate a client: served without credentials,
/// valid, one operation at least for every route its source maps, each with a summary, its credential and its problems,
/// and request bodies whose examples the service takes.
/// </summary>
public class ApiDescriptionTests
{
    private static ServiceProcess? _recommendation;

    [OneTimeSetUp]
    public async Task StartRecommendationAsync() =>
        _recommendation = await Platform.StartRecommendationAsync(new Dictionary<string, string> { ["Recommendation__Training__Schedule"] = "00:00:00" });

    [OneTimeTearDown]
    public async Task StopRecommendationAsync()
    {
        if (_recommendation is not null) await _recommendation.DisposeAsync();
    }

    private static ServiceProcess Service(string name) => name switch
    {
        "Ingestion" => Ingestion,
        "Segmentation" => Segmentation,
        "Triggers" => Platform.Triggers,
        _ => _recommendation!,
    };

    [TestCase("Ingestion", "/v1/batch", "/admin/tenants/{tenantId}/sources")]
    [TestCase("Segmentation", "/api/profiles/{userId}", "/admin/tenants/{tenantId}/segments")]
    [TestCase("Recommendation", "/v1/recommendations/users/{userId}", "/admin/tenants/{tenantId}/models")]
    [TestCase("Triggers", "/unsubscribe/{token}", "/admin/tenants/{tenantId}/journeys/{id}/publish")]
    public async Task A_service_describes_every_route_it_maps(string service, string publicPath, string adminPath)
    {
        using var response = await Service(service).Client.GetAsync("/openapi/v1.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "served without credentials");
        var (document, diagnostic) = OpenApiDocument.Parse(await response.Content.ReadAsStringAsync(), "json", new OpenApiReaderSettings());

        Assert.That(diagnostic?.Errors, Is.Empty, "a valid OpenAPI document");
        Assert.That(document!.Info.Title, Does.Contain(service));
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value))).ToList();
        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(MappedRoutes(service)), "an operation for each Map call in the service's source");
        Assert.That(operations.Where(o => string.IsNullOrWhiteSpace(o.Operation.Summary)).Select(o => $"{o.Method} {o.Path}"), Is.Empty, "every operation has a summary");
        Assert.That(document.Paths.Keys, Does.Contain(publicPath).And.Contain(adminPath));
        Assert.That(operations.SelectMany(o => o.Operation.Responses!.Where(r => r.Key.StartsWith('2') && r.Key != "204" && !SaysWhatItHolds(r.Value))
            .Select(r => $"{o.Method} {o.Path} {r.Key}")), Is.Empty,
            "every answer with a body says what it holds: a schema for JSON, else its media type");

        foreach (var (path, method, operation) in operations.Where(o => o.Path.StartsWith("/admin/", StringComparison.Ordinal)))
        {
            Assert.That(operation.Security?.SelectMany(r => r.Keys).Select(k => k.Reference.Id), Is.EqualTo(new[] { "Admin" }), $"{method} {path} takes the admin token");
            Assert.That(operation.Responses!.Keys, Does.Contain("401"), $"{method} {path} says what an unknown credential gets");
            Assert.That(operation.Responses["401"].Content!.Keys, Does.Contain("application/problem+json"));
        }
        var schemes = document.Components!.SecuritySchemes!;
        Assert.That(schemes["Admin"].Scheme, Is.EqualTo("bearer"));
        if (service == "Ingestion")
            Assert.That(operations.Single(o => o.Path == "/v1/batch").Operation.Security!.Single().Keys.Single().Reference.Id, Is.EqualTo("WriteKey"));
    }

    /// <summary>
    /// The bodies a service parses itself are described by its embedded schemas; each schema's examples are valid by
    /// the document and the service takes them (sent as a client would, to a tenant of their own), so the document
    /// and the parsers agree at least there. Every other write names its body or is known to take none.
    /// </summary>
    [TestCase("Ingestion")]
    [TestCase("Segmentation")]
    [TestCase("Recommendation")]
    [TestCase("Triggers")]
    public async Task The_documented_request_bodies_validate_their_examples_and_the_service_takes_them(string service)
    {
        var document = JsonNode.Parse(await Service(service).Client.GetStringAsync("/openapi/v1.json"))!;
        var components = document["components"]!["schemas"]!.AsObject();
        var operations = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => o.Key is "post" or "put" or "patch")
            .Select(o => (Method: o.Key.ToUpperInvariant(), Path: path.Key, Operation: o.Value!))).ToList();
        Assert.That(operations.Where(o => o.Operation["requestBody"] is null && !TakesNoBody.Contains($"{o.Method} {o.Path}")).Select(o => $"{o.Method} {o.Path}"),
            Is.Empty, "every write describes its body, or is known to take none");

        var ours = RequestSchemaNames(service);
        var described = operations.SelectMany(o => Bodies(o.Operation).Where(b => ours.Contains(b.Schema)).Select(b => (o.Method, o.Path, o.Operation, b.ContentType, b.Schema))).ToList();
        Assert.That(described, Is.Not.Empty);
        var writeKey = await ExamplesWriteKeyAsync();
        foreach (var (method, path, operation, contentType, schema) in described.OrderBy(d => ExampleOrder(d.Path)))
        {
            var examples = components[schema]!["examples"]?.AsArray();
            Assert.That(examples, Is.Not.Null.And.Not.Empty, $"{schema} (the body of {method} {path}) has examples");
            // NJsonSchema resolves references among "definitions", and not always a reference at the root.
            var validator = await JsonSchema.FromJsonAsync(new JsonObject
            {
                ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{schema}" }),
                ["definitions"] = new JsonObject(ours.Select(n => KeyValuePair.Create(n, components[n]?.DeepClone()))),
            }.ToJsonString().Replace("#/components/schemas/", "#/definitions/"));
            foreach (var example in examples!)
            {
                var body = example!.ToJsonString();
                Assert.That(validator.Validate(body).Select(e => e.ToString()), Is.Empty, $"{schema}'s example is valid by the document: {body}");
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path)) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
                request.Headers.Authorization = Credential(operation, writeKey);
                using var response = await Service(service).Client.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                Assert.That(response.IsSuccessStatusCode || NoModelYet(path, response, answer), Is.True,
                    $"{method} {path} takes {schema}'s example {body} as {contentType}: {(int)response.StatusCode} {answer}");
            }
        }
    }

    /// <summary>
    /// Serving answers 503 until the tenant has a model, and only after the request has been read and found valid; the
    /// examples' tenant has none.
    /// </summary>
    private static bool NoModelYet(string path, HttpResponseMessage response, string answer) =>
        path.StartsWith("/v1/recommendations/", StringComparison.Ordinal) && response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
        && answer.Contains("No model is served for this tenant yet", StringComparison.Ordinal);

    /// <summary>The writes whose handlers read no body: their path says all.</summary>
    private static readonly HashSet<string> TakesNoBody =
    [
        "POST /admin/tenants/{tenantId}/sources/{sourceId}/keys",
        "POST /admin/tenants/{tenantId}/journeys/{id}/publish",
        "POST /admin/tenants/{tenantId}/journeys/{id}/pause",
        "POST /admin/tenants/{tenantId}/journeys/{id}/archive",
        "POST /unsubscribe/{token}",
        "POST /admin/tenants/{tenantId}/discovery",
        "POST /admin/tenants/{tenantId}/models/train",
        "POST /admin/tenants/{tenantId}/models/{version}/activate",
        "POST /admin/tenants/{tenantId}/models/drift/check",
        "POST /admin/tenants/{tenantId}/recommendations/stats/rebuild",
    ];

    /// <summary>The operation's body schemas (component names) by media type.</summary>
    private static IEnumerable<(string ContentType, string Schema)> Bodies(JsonNode operation) =>
        operation["requestBody"]?["content"]?.AsObject()
            .Where(c => c.Value?["schema"]?["$ref"] is not null)
            .Select(c => (c.Key, c.Value!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1])) ?? [];

    /// <summary>The component names the service's Api/Schemas files define.</summary>
    private static HashSet<string> RequestSchemaNames(string service) =>
        Directory.EnumerateFiles(Path.Combine(LocalInfrastructure.RepoRoot, "services", service, "Api", "Schemas"), "*.json")
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject().Select(c => c.Key)).ToHashSet();

    /// <summary>
    /// Definitions others refer to go first (scenarios and templates before the experiments and journeys that use
    /// them), and actions on a definition (preview, test-send, stop) after it.
    /// </summary>
    private static int ExampleOrder(string path) =>
        Regex.IsMatch(path, @"\}/[a-z-]+$") ? 2 : path.Contains("/journeys/") || path.Contains("/experiments/") || path.Contains("/placements/") ? 1 : 0;

    private static string Fill(string path) => Regex.Replace(path, @"\{(\w+)\}", m => m.Groups[1].Value switch
    {
        "tenantId" => ExamplesTenant,
        var name => $"example-{name.ToLowerInvariant()}",
    });

    private static AuthenticationHeaderValue? Credential(JsonNode operation, string writeKey) =>
        operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).FirstOrDefault() switch
        {
            "Admin" => new AuthenticationHeaderValue("Bearer", AdminToken),
            "AccessToken" => new AuthenticationHeaderValue("Bearer", ExamplesReadToken),
            "WriteKey" => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":"))),
            _ => null,
        };

    private sealed record SourceCreated(NewKey Key);
    private sealed record NewKey(string WriteKey);

    private static async Task<string> ExamplesWriteKeyAsync()
    {
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{ExamplesTenant}/sources", new { sourceId = "examples-" + Guid.NewGuid().ToString("N")[..8] }));
        Assert.That(created.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created));
        return (await created.Content.ReadFromJsonAsync<SourceCreated>(System.Text.Json.JsonSerializerOptions.Web))!.Key.WriteKey;
    }

    private static bool SaysWhatItHolds(IOpenApiResponse response) =>
        response.Content is { Count: > 0 } content && content.All(c => !c.Key.Contains("json") || c.Value.Schema is not null);

    /// <summary>The Map calls in the service's own source: the routes its document has to describe.</summary>
    private static int MappedRoutes(string service) =>
        Directory.EnumerateFiles(Path.Combine(LocalInfrastructure.RepoRoot, "services", service), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Sum(f => Regex.Count(File.ReadAllText(f), @"\.Map(Get|Post|Put|Delete|Patch)\("));
}
