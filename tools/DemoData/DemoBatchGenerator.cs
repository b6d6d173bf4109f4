namespace Personalization.DemoData;

/// <summary>
/// Deterministic shopper journeys in Segment batch format: some browse and leave, some add to cart and
/// abandon it, some buy. The same seed gives the same events and message ids, so a re-run is deduplicated.
/// </summary>
public static class DemoBatchGenerator
{
    public static IReadOnlyList<Dictionary<string, object?>> Generate(int users, int seed, DateTimeOffset start)
    {
        var random = new Random(seed);
        var messages = new List<Dictionary<string, object?>>();
        for (var u = 0; u < users; u++)
        {
            var userId = $"demo-user-{u:D3}";
            var anonymousId = $"demo-anon-{seed}-{u:D3}";
            var clock = start.AddMinutes(random.Next(0, 60 * 24));
            var device = random.Next(3) switch { 0 => "ios", 1 => "android", _ => "web" };
            var sequence = 0;

            Dictionary<string, object?> Message(string type, Dictionary<string, object?> fields)
            {
                clock = clock.AddSeconds(random.Next(5, 300));
                var message = new Dictionary<string, object?>
                {
                    ["type"] = type,
                    ["userId"] = userId,
                    ["anonymousId"] = anonymousId,
                    ["messageId"] = $"demo-{seed}-{u:D3}-{sequence++:D3}",
                    ["timestamp"] = clock.ToString("O"),
                    ["context"] = new Dictionary<string, object?> { ["device"] = new { type = device }, ["locale"] = "en-GB" },
                };
                foreach (var (key, value) in fields) message[key] = value;
                return message;
            }

            messages.Add(Message("identify", new() { ["traits"] = new { email = $"{userId}@example.com", plan = random.Next(2) == 0 ? "free" : "plus" } }));
            messages.Add(Message("page", new() { ["name"] = "Home" }));

            var viewed = Enumerable.Range(0, random.Next(1, 6)).Select(_ => DemoCatalog.Products[random.Next(DemoCatalog.Products.Count)]).ToList();
            foreach (var product in viewed)
                messages.Add(Message("track", new() { ["event"] = "Product Viewed", ["properties"] = ProductProperties(product) }));

            if (random.NextDouble() < 0.6)
            {
                var cart = viewed.Take(random.Next(1, viewed.Count + 1)).ToList();
                foreach (var product in cart)
                    messages.Add(Message("track", new() { ["event"] = "Product Added", ["properties"] = ProductProperties(product) }));
                if (random.NextDouble() < 0.5)
                    messages.Add(Message("track", new()
                    {
                        ["event"] = "Order Completed",
                        ["properties"] = new { orderId = $"order-{seed}-{u:D3}", revenue = cart.Sum(p => p.Price), currency = "GBP", products = cart.Select(ProductProperties) },
                    }));
            }
        }
        return messages;
    }

    private static object ProductProperties(DemoCatalog.Product product) =>
        new { productId = product.Id, name = product.Name, category = product.Category, price = product.Price, currency = "GBP" };
}
