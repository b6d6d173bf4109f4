using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

public class IngestionJourneyTests
{
    private sealed record Accepted(bool Success, int Stored, int Duplicates);

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..10];

    private static string SegmentBatch(string userId, int count) => JsonSerializer.Serialize(new
    {
        batch = Enumerable.Range(0, count).Select(i => new Dictionary<string, object>
        {
            ["type"] = i == 0 ? "identify" : "track",
            ["event"] = "Product Viewed",
            ["userId"] = userId,
            ["messageId"] = $"{userId}-{i}",
            ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(i).ToString("O"),
            ["properties"] = new { productId = $"sku-{i}", price = 9.5 },
            ["context"] = new { userAgent = "e2e", locale = "en-GB" },
        }),
        sentAt = DateTimeOffset.UtcNow.ToString("O"),
        writeKey = WriteKey,
    });

    private static Task<Profile?> ProfileWithCountAsync(string userId, long count) => Profiles.WithCountAsync(userId, count);

    [Test]
    public async Task Posted_batch_is_stored_and_reaches_segmentation()
    {
        var user = NewUser();

        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", SegmentBatch(user, 5)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await response.Content.ReadFromJsonAsync<Accepted>(), Is.EqualTo(new Accepted(true, 5, 0)));
        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(5), "2xx means the events are already in Marten");

        var profile = await ProfileWithCountAsync(user, 5);
        Assert.That(profile!.EventCount, Is.EqualTo(5));
        Assert.That(profile.TenantId, Is.EqualTo(Tenant));
    }

    [Test]
    public async Task Resent_batch_is_stored_once()
    {
        var user = NewUser();
        var batch = SegmentBatch(user, 3);

        using var first = await Ingestion.Client.SendAsync(Post("/v1/batch", batch));
        await ProfileWithCountAsync(user, 3);
        using var second = await Ingestion.Client.SendAsync(Post("/v1/batch", batch));

        Assert.That(await second.Content.ReadFromJsonAsync<Accepted>(), Is.EqualTo(new Accepted(true, 0, 3)));
        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(3));
        // A marker sent after the resend proves the pipe has caught up, so an extra count would show by now.
        using var marker = await Ingestion.Client.SendAsync(Post("/v1/track", $$"""{"event":"Marker","userId":"{{user}}","messageId":"{{user}}-marker"}"""));
        Assert.That((await ProfileWithCountAsync(user, 4))!.EventCount, Is.EqualTo(4));
    }

    [Test]
    public async Task Gzip_body_is_accepted_whatever_the_content_type()
    {
        var user = NewUser();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(SegmentBatch(user, 2)));
        var request = Post("/v1/batch", "");
        request.Content = new ByteArrayContent(compressed.ToArray());
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Content.Headers.ContentEncoding.Add("gzip");

        using var response = await Ingestion.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(2));
    }

    [Test]
    public async Task Single_track_call_is_accepted()
    {
        var user = NewUser();

        using var response = await Ingestion.Client.SendAsync(Post("/v1/track", $$"""{"event":"Signed Up","userId":"{{user}}"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ProfileWithCountAsync(user, 1))!.EventCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Events_stored_while_the_relay_is_down_are_delivered_after_it_restarts()
    {
        var user = NewUser();

        await RestartRelayAsync(async () =>
        {
            using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", SegmentBatch(user, 4)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });

        Assert.That((await ProfileWithCountAsync(user, 4))!.EventCount, Is.EqualTo(4));
    }

    private static IEnumerable<TestCaseData> BadRequests()
    {
        yield return new TestCaseData("malformed JSON", (Func<string, HttpRequestMessage>)(user => Post("/v1/batch", $$"""{"batch":[{"type":"track","userId":"{{user}}" """)), HttpStatusCode.BadRequest, "not valid JSON");
        yield return new TestCaseData("missing key", (Func<string, HttpRequestMessage>)(user => Post("/v1/batch", SegmentBatch(user, 1), writeKey: null)), HttpStatusCode.Unauthorized, "write key");
        yield return new TestCaseData("unknown key", (Func<string, HttpRequestMessage>)(user => Post("/v1/batch", SegmentBatch(user, 1), writeKey: "nobody")), HttpStatusCode.Unauthorized, "not known");
        yield return new TestCaseData("oversized body", (Func<string, HttpRequestMessage>)(user => Post("/v1/batch", SegmentBatch(user, 1).Replace("e2e", new string('x', 70_000)))), HttpStatusCode.RequestEntityTooLarge, "larger than");
        // A batch's invalid messages are dead-lettered and the rest stored (PartialBatchTests); a single call is all or nothing.
        yield return new TestCaseData("an invalid single call", (Func<string, HttpRequestMessage>)(user => Post("/v1/track", $$"""{"type":"page","event":"x","userId":"{{user}}"}""")), HttpStatusCode.BadRequest, "but this endpoint takes");
        yield return new TestCaseData("a number PostgreSQL cannot store", (Func<string, HttpRequestMessage>)(user => Post("/v1/track", $$$"""{"event":"x","userId":"{{{user}}}","properties":{"price":1e200000}}""")), HttpStatusCode.BadRequest, "too large or too precise to store");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task Bad_request_gets_a_clear_problem_and_stores_nothing(string what, Func<string, HttpRequestMessage> build, HttpStatusCode expected, string reason)
    {
        var user = NewUser();

        using var response = await Ingestion.Client.SendAsync(build(user));

        Assert.That(response.StatusCode, Is.EqualTo(expected), what);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(reason));
        Assert.That(await StoredEventCountAsync(user), Is.Zero);
    }

    [Test]
    public async Task Chunked_cloudevents_batch_without_content_length_is_stored()
    {
        var user = NewUser();
        var json = $$$"""
            [{"specversion":"1.0","id":"{{{user}}}-1","source":"/e2e","type":"Product Viewed","subject":"{{{user}}}","data":{"product_id":"sku-1"}},
             {"specversion":"1.0","id":"{{{user}}}-2","source":"/e2e","type":"Product Added","subject":"{{{user}}}","data":{"product_id":"sku-1"}}]
            """;
        var request = Post("/v1/cloudevents", "");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents-batch+json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await Ingestion.Client.SendAsync(request);
        using var resent = await Ingestion.Client.SendAsync(CloneOf(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(request.Content.Headers.ContentLength, Is.Null, "sent chunked");
        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(2), "the CloudEvents' source and id deduplicate a resend");
    }

    [Test]
    public async Task Binary_cloudevent_is_stored()
    {
        var user = NewUser();
        var request = Post("/v1/cloudevents", """{"product_id":"sku-9"}""");
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", user + "-b");
        request.Headers.Add("ce-source", "/e2e");
        request.Headers.Add("ce-type", "Product Viewed");
        request.Headers.Add("ce-subject", user);

        using var response = await Ingestion.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await StoredEventCountAsync(user), Is.EqualTo(1));
    }

    private static HttpRequestMessage CloneOf(string batchJson)
    {
        var request = Post("/v1/cloudevents", "");
        request.Content = new StringContent(batchJson, Encoding.UTF8, "application/cloudevents-batch+json");
        return request;
    }
}
