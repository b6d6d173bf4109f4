using System.Text.Json;

namespace Personalization.TestSupport;

/// <summary>The messages the local SMTP server (smtp4dev, which tools/infra.sh runs) received, through its web API.</summary>
public sealed class SmtpInbox(InfraSettings infra) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(infra.Environment["SMTP_WEB_URL"]) };

    /// <summary>Every message received for the address: id, subject, to, and the rest of smtp4dev's summary.</summary>
    public async Task<IReadOnlyList<JsonElement>> ToAsync(string address)
    {
        using var list = JsonDocument.Parse(await _http.GetStringAsync("/api/messages?pageSize=5000"));
        return list.RootElement.GetProperty("results").EnumerateArray()
            .Where(m => m.GetProperty("to").EnumerateArray().Any(to => string.Equals(to.GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .Select(m => m.Clone()).ToList();
    }

    /// <summary>A received message's source, headers and all.</summary>
    public Task<string> RawAsync(JsonElement message) => _http.GetStringAsync($"/api/messages/{message.GetProperty("id").GetString()}/raw");

    public void Dispose() => _http.Dispose();
}
