using System.Text.Json;

namespace Personalization.TestSupport;

/// <summary>The messages the local SMTP server (smtp4dev, which tools/infra.sh runs) received, through its web API.</summary>
public sealed class SmtpInbox(InfraSettings infra) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(infra.Environment["SMTP_WEB_URL"]) };

    /// <summary>Every message received for the address: id, subject, to, and the rest of smtp4dev's summary.</summary>
    public async Task<IReadOnlyList<JsonElement>> ToAsync(string address) =>
        (await AllAsync()).Where(m => Recipients(m).Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// Every message received, page by page, oldest first (so messages arriving meanwhile add to the last page rather
    /// than push earlier ones onto the next, where they would be read twice).
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> AllAsync()
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var list = JsonDocument.Parse(await _http.GetStringAsync($"/api/messages?page={page}&pageSize=1000&sortIsDescending=false"));
            all.AddRange(list.RootElement.GetProperty("results").EnumerateArray().Select(m => m.Clone()));
            if (page >= list.RootElement.GetProperty("pageCount").GetInt32()) return all;
        }
    }

    /// <summary>
    /// Every message received, once <paramref name="done"/> holds of them or <paramref name="timeout"/> has passed:
    /// smtp4dev answers 250 before it stores a message, so a message a sender was told is accepted is listed a moment later.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> AllAsync(Func<IReadOnlyList<JsonElement>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var all = await AllAsync();
            if (done(all) || DateTime.UtcNow > deadline) return all;
            await Task.Delay(250);
        }
    }

    public static IEnumerable<string> Recipients(JsonElement message) => message.GetProperty("to").EnumerateArray().Select(to => to.GetString()!);

    /// <summary>A received message's source, headers and all.</summary>
    public Task<string> RawAsync(JsonElement message) => _http.GetStringAsync($"/api/messages/{message.GetProperty("id").GetString()}/raw");

    /// <summary>A received message's HTML body, decoded.</summary>
    public Task<string> HtmlAsync(JsonElement message) => _http.GetStringAsync($"/api/messages/{message.GetProperty("id").GetString()}/html");

    public void Dispose() => _http.Dispose();
}
