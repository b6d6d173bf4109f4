using System.Net;
using System.Text.Json;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Outages;

/// <summary>A service's <c>/health/ready</c> answer: the status code and each check's status and description.</summary>
public sealed record Readiness(HttpStatusCode Status, IReadOnlyDictionary<string, (string Status, string? Description)> Checks)
{
    public string CheckStatus(string check) => Checks.TryGetValue(check, out var c) ? c.Status : "(no such check)";

    public override string ToString() =>
        $"{(int)Status}: {string.Join("; ", Checks.Select(c => $"{c.Key} {c.Value.Status} {c.Value.Description}"))}";

    public static async Task<Readiness> OfAsync(ServiceProcess service)
    {
        try
        {
            using var response = await service.Client.GetAsync("/health/ready");
            var body = await response.Content.ReadAsStringAsync();
            var checks = new Dictionary<string, (string, string?)>();
            if (response.Content.Headers.ContentType?.MediaType == "application/json")
                foreach (var check in JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateObject())
                    checks[check.Name] = (check.Value.GetProperty("status").GetString()!, check.Value.GetProperty("description").GetString());
            return new Readiness(response.StatusCode, checks);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Readiness(0, new Dictionary<string, (string, string?)> { ["(no answer)"] = ("none", ex.Message) });
        }
    }

    public static Task<Readiness> UntilAsync(ServiceProcess service, Func<Readiness, bool> done, string what, int seconds = 60) =>
        Eventually.ReturnsAsync(() => OfAsync(service), done, TimeSpan.FromSeconds(seconds), what);
}
