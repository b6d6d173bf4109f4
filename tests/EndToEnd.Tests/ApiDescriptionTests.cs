using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// Each service's OpenAPI document as a platform team would take it to generate a client: served without credentials,
/// valid, one operation at least for every route its source maps, each with a summary, its credential and its problems.
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

    /// <summary>The Map calls in the service's own source: the routes its document has to describe.</summary>
    private static int MappedRoutes(string service) =>
        Directory.EnumerateFiles(Path.Combine(LocalInfrastructure.RepoRoot, "services", service), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Sum(f => Regex.Count(File.ReadAllText(f), @"\.Map(Get|Post|Put|Delete|Patch)\("));
}
