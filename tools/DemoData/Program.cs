using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Personalization.DemoData;

// Posts generated demo events to the ingestion API, and with a tenant and admin token the demo catalog first:
// DemoData <ingestion-url> <write-key> [users] [seed] [tenant admin-token]
if (args.Length is < 2 or 5 or > 6)
{
    Console.Error.WriteLine("usage: DemoData <ingestion-url> <write-key> [users=50] [seed=42] [<tenant> <admin-token>]");
    return 2;
}

var users = args.Length > 2 ? int.Parse(args[2]) : 50;
var seed = args.Length > 3 ? int.Parse(args[3]) : 42;
var messages = DemoBatchGenerator.Generate(users, seed, new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(args[1] + ":")));

if (args.Length == 6)
{
    foreach (var product in DemoCatalog.Products)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/admin/tenants/{args[4]}/catalog/items/{product.Id}")
        {
            Content = JsonContent.Create(new
            {
                title = product.Name, category = product.Category.Replace("/", " > "), price = product.Price, currency = "GBP",
                tags = product.Price < 10 ? new[] { "gift-under-10" } : [],
            }),
        };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", args[5]);
        using var response = await http.SendAsync(put);
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"The catalog answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return 1;
        }
    }
    Console.WriteLine($"Put {DemoCatalog.Products.Count} products in the catalog of tenant {args[4]}.");
}

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
