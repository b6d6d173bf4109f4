using System.Net;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

public class RateLimitTests
{
    [Test]
    public async Task A_write_key_over_its_rate_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        const string otherKey = "e2e-other-key";
        await using var limited = await ServiceProcess.StartAsync("services/Ingestion", new Dictionary<string, string>(Settings)
        {
            ["Ingestion__RateLimit__RequestsPerSecond"] = "1",
            ["Ingestion__RateLimit__Burst"] = "3",
            [$"Ingestion__WriteKeys__{otherKey}"] = Tenant,
        });
        var user = "limited-" + Guid.NewGuid().ToString("N")[..8];

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
            statuses.Add(await limited.Client.SendAsync(Post("/v1/track", $$"""{"event":"x","userId":"{{user}}","messageId":"{{user}}-{{i}}"}""")));
        using var other = await limited.Client.SendAsync(Post("/v1/track", $$"""{"event":"x","userId":"{{user}}","messageId":"{{user}}-other"}""", otherKey));

        var refused = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.That(statuses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.InRange(3, 4), "the burst passes");
        Assert.That(refused, Is.Not.Empty);
        Assert.That(refused[0].Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(statuses.Count(r => r.StatusCode == HttpStatusCode.OK) + 1), "refused requests store nothing");
        statuses.ForEach(r => r.Dispose());
    }
}
