using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Personalization.DemoData;

// Posts generated demo events to the ingestion API: DemoData <ingestion-url> <write-key> [users] [seed]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DemoData <ingestion-url> <write-key> [users=50] [seed=42]");
    return 2;
}

var users = args.Length > 2 ? int.Parse(args[2]) : 50;
var seed = args.Length > 3 ? int.Parse(args[3]) : 42;
var messages = DemoBatchGenerator.Generate(users, seed, new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(args[1] + ":")));

var stored = 0;
foreach (var chunk in messages.Chunk(100))
{
    using var response = await http.PostAsJsonAsync("/v1/batch", new { batch = chunk });
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"Ingestion answered {(int)response.StatusCode}: {body}");
        return 1;
    }
    stored += System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("stored").GetInt32();
}

Console.WriteLine($"Posted {messages.Count} demo events for {users} users ({stored} new, {messages.Count - stored} already stored).");
return 0;
