using System.Net;
using System.Text;
using System.Text.Json;

namespace Personalization.EndToEnd.Tests.AdminConsole;

/// <summary>Sources of the console's tenant made straight through Ingestion's admin API, and events sent to them.</summary>
public static class Sources
{
    public static string NewId() => "src-" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<(string SourceId, string WriteKey)> CreateAsync(string? name = null)
    {
        var sourceId = NewId();
        using var response = await Platform.Ingestion.Client.SendAsync(Platform.Admin(HttpMethod.Post, ConsoleHost.AdminPath("/sources"), new { sourceId, name }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (sourceId, created.GetProperty("key").GetProperty("writeKey").GetString()!);
    }

    public static async Task PutPlanAsync(string sourceId, string plan)
    {
        var request = Platform.Admin(HttpMethod.Put, ConsoleHost.AdminPath($"/sources/{sourceId}/tracking-plan"));
        request.Content = new StringContent(plan, Encoding.UTF8, "application/json");
        using var response = await Platform.Ingestion.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public static async Task<HttpStatusCode> SendAsync(string writeKey, string message)
    {
        using var response = await Platform.Ingestion.Client.SendAsync(Platform.Post("/v1/track", message, writeKey));
        return response.StatusCode;
    }

    /// <summary>A track call with a user of its own.</summary>
    public static Task<HttpStatusCode> TrackAsync(string writeKey) =>
        SendAsync(writeKey, $$"""{"type":"track","event":"Console Check","userId":"console-{{Guid.NewGuid():N}}"}""");
}
