using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Personalization.TestSupport;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Recommendations;

/// <summary>Training on demand through the admin API, from events posted to the real tracking API, into versions in PostgreSQL.</summary>
public class ModelTrainingTests
{
    private ServiceProcess _recommendation = null!;

    private sealed record JobAccepted(Guid JobId, string State, string Location);
    private sealed record Job(Guid Id, string State, string? Progress, int? Version, bool? Activated, string? Error, string[]? PassedOver);
    private sealed record Summary(int Interactions, int Users, int Items, Dictionary<string, double> Metrics);
    private sealed record StoredVersion(int Version, string Algorithm, int PayloadBytes, Summary Summary);
    private sealed record Models(int? ActiveVersion, int? PreviousVersion, int? ServedHere, StoredVersion[] Versions);

    [OneTimeSetUp]
    public async Task StartAsync() => _recommendation = await ServiceProcess.StartAsync("services/Recommendation", Settings);

    [OneTimeTearDown]
    public async Task StopAsync() => await _recommendation.DisposeAsync();

    private Task<T> ReadAsync<T>(HttpMethod method, string path) => ReadFromAsync<T>(_recommendation, path, method);

    private static async Task<T> ReadFromAsync<T>(ServiceProcess replica, string path, HttpMethod? method = null)
    {
        method ??= HttpMethod.Get;
        using var response = await replica.Client.SendAsync(Admin(method, path));
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    /// <summary>A tenant of its own with 300 views and orders of 30 shoppers over 12 products, in several id spellings.</summary>
    private static async Task<string> NewShopAsync(string prefix)
    {
        var tenant = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/sources", new { sourceId = "web" }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var writeKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetProperty("writeKey").GetString()!;
        var random = new Random(5);
        var events = Enumerable.Range(0, 300).Select(n => JsonSerializer.Serialize(new
        {
            type = "track", @event = n % 3 == 0 ? "Order Completed" : "Product Viewed", userId = $"shopper-{n % 30}", messageId = $"{tenant}-{n}",
            timestamp = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).AddHours(n).ToString("O"),
            properties = n % 3 == 0 ? (object)new { products = new[] { new { productId = $"sku-{random.Next(12)}" } } } : new { sku = $"sku-{random.Next(12)}" },
        }));
        using (var posted = await Ingestion.Client.SendAsync(Post("/v1/batch", $$"""{"batch":[{{string.Join(',', events)}}]}""", writeKey)))
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await posted.Content.ReadAsStringAsync());

        return tenant;
    }

    private async Task<Job> TrainAsync(ServiceProcess replica, string tenant)
    {
        using var response = await replica.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/models/train"));
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>(JsonSerializerOptions.Web))!;
        return await Eventually.ReturnsAsync(() => ReadAsync<Job>(HttpMethod.Get, accepted.Location),
            j => j.State is "succeeded" or "failed", TimeSpan.FromSeconds(120), "the training job to finish");
    }

    [Test]
    public async Task Two_replicas_switch_to_an_activated_version_within_seconds_and_back_on_rollback()
    {
        var tenant = await NewShopAsync("swap");
        Assert.That((await TrainAsync(_recommendation, tenant)).State, Is.EqualTo("succeeded"));
        Assert.That((await TrainAsync(_recommendation, tenant)).State, Is.EqualTo("succeeded"));
        await using var second = await ServiceProcess.StartAsync("services/Recommendation", Settings);

        foreach (var (version, via) in new[] { (1, _recommendation), (2, second), (1, second) })
        {
            using (var activated = await via.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/models/{version}/activate")))
                Assert.That(activated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            foreach (var replica in new[] { _recommendation, second })
                await Eventually.ReturnsAsync(() => ReadFromAsync<Models>(replica, $"/admin/tenants/{tenant}/models"),
                    m => m.ServedHere == version, TimeSpan.FromSeconds(10), $"replica on {replica.Client.BaseAddress} to serve version {version}");
        }
    }

    [Test]
    public async Task A_training_job_reads_the_tenants_events_stores_a_version_and_activates_the_first()
    {
        var tenant = await NewShopAsync("train");
        using var train = await _recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/models/train"));
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await train.Content.ReadAsStringAsync());
        var accepted = (await train.Content.ReadFromJsonAsync<JobAccepted>(JsonSerializerOptions.Web))!;
        Assert.That(train.Headers.Location?.ToString(), Is.EqualTo(accepted.Location));

        var job = await Eventually.ReturnsAsync(() => ReadAsync<Job>(HttpMethod.Get, accepted.Location),
            j => j.State is "succeeded" or "failed", TimeSpan.FromSeconds(120), "the training job to finish");
        Assert.That(job.State, Is.EqualTo("succeeded"), job.Error);
        Assert.That((job.Version, job.Activated), Is.EqualTo(((int?)1, (bool?)true)), "the first version is activated");

        var models = await ReadAsync<Models>(HttpMethod.Get, $"/admin/tenants/{tenant}/models");
        Assert.That(models.ActiveVersion, Is.EqualTo(1));
        var version = models.Versions.Single();
        Assert.That(version.Summary.Interactions, Is.EqualTo(300), "every view and every ordered product, whatever the id's spelling");
        Assert.That((version.Summary.Users, version.Summary.Items), Is.EqualTo((30, 12)));
        Assert.That(version.PayloadBytes, Is.GreaterThan(0));
    }

    [Test]
    public async Task A_tenant_with_a_read_token_is_trained_on_schedule_without_being_asked()
    {
        var tenant = await NewShopAsync("scheduled");
        await using var scheduled = await ServiceProcess.StartAsync("services/Recommendation", new Dictionary<string, string>(Settings)
        {
            [$"Recommendation__AccessTokens__scheduled-{tenant}"] = tenant,
            ["Recommendation__Training__Schedule"] = "00:00:03",
        });
        var models = await Eventually.ReturnsAsync(() => ReadFromAsync<Models>(scheduled, $"/admin/tenants/{tenant}/models"),
            m => m.ActiveVersion is not null, TimeSpan.FromSeconds(120), "the scheduled training to make a version");
        Assert.That(models.Versions.Single().Summary.Interactions, Is.EqualTo(300));
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.That((await ReadFromAsync<Models>(scheduled, $"/admin/tenants/{tenant}/models")).Versions.Length, Is.InRange(1, 4),
            "one job per period, never one per check");
    }

    private sealed record Related(int ModelVersion, RelatedItem[] Items);
    private sealed record RelatedItem(string ItemId, string[] ProposedBy);

    private static async Task PutItemAsync(string tenant, string sku, string title)
    {
        using var put = await Ingestion.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/catalog/items/{sku}", new { title, category = "Outdoor" }));
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_catalog_item_added_after_training_is_trained_in_soon_and_reached_through_content()
    {
        var tenant = await NewShopAsync("new-items");
        for (var n = 0; n < 12; n++) await PutItemAsync(tenant, $"sku-{n}", n % 2 == 0 ? $"Enamel camping mug {n}" : $"Brass fountain pen {n}");
        await using var replica = await ServiceProcess.StartAsync("services/Recommendation", new Dictionary<string, string>(Settings)
        {
            [$"Recommendation__AccessTokens__new-items-{tenant}"] = tenant,
            ["Recommendation__Training__Schedule"] = "00:00:00",
            ["Recommendation__Training__NewItemsDelay"] = "00:00:02",
        });
        Assert.That((await TrainAsync(replica, tenant)).State, Is.EqualTo("succeeded"));
        async Task<Related> RelatedAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/recommendations/items/sku-2/related?count=12");
            request.Headers.Authorization = new("Bearer", $"new-items-{tenant}");
            using var response = await replica.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return new Related(0, []); // no version served yet
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<Related>(JsonSerializerOptions.Web))!;
        }
        var before = await Eventually.ReturnsAsync(RelatedAsync, r => r.ModelVersion == 1, TimeSpan.FromSeconds(20), "the replica to serve version 1");
        Assert.That(before.Items.Select(i => i.ItemId), Has.None.EqualTo("sku-new"));

        await PutItemAsync(tenant, "sku-new", "Enamel camping mug, large");
        var after = await Eventually.ReturnsAsync(RelatedAsync, r => r.ModelVersion == 2, TimeSpan.FromSeconds(120),
            "a training for the new item, activated and served");
        Assert.That(after.Items.Where(i => i.ItemId == "sku-new").SelectMany(i => i.ProposedBy), Has.Some.EqualTo("content"),
            "nobody has had the new item: only its text can reach it");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.That((await ReadFromAsync<Models>(replica, $"/admin/tenants/{tenant}/models")).Versions, Has.Length.EqualTo(2),
            "items the model knows now make no further jobs");
    }

    [Test]
    public async Task A_scenario_or_a_request_can_name_a_stored_version_to_answer_with_instead_of_the_active_one()
    {
        var tenant = await NewShopAsync("variant");
        var token = $"variant-{tenant}";
        await using var replica = await ServiceProcess.StartAsync("services/Recommendation", new Dictionary<string, string>(Settings)
        {
            [$"Recommendation__AccessTokens__{token}"] = tenant,
            ["Recommendation__Training__Schedule"] = "00:00:00",
        });
        Assert.That((await TrainAsync(replica, tenant)).State, Is.EqualTo("succeeded"));
        Assert.That((await TrainAsync(replica, tenant)).State, Is.EqualTo("succeeded"));
        var active = (await ReadFromAsync<Models>(replica, $"/admin/tenants/{tenant}/models")).ActiveVersion!.Value;
        var other = 3 - active;
        async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/recommendations/users/shopper-1?{query}");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await replica.Client.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        await Eventually.ReturnsAsync(() => GetAsync("count=3"), r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("modelVersion").GetInt32() == active,
            TimeSpan.FromSeconds(20), "the replica to serve the active version");

        using (var put = await replica.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/scenarios/previous", new { modelVersion = other, count = 3 })))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created), await put.Content.ReadAsStringAsync());
        var (status, body) = await GetAsync("scenario=previous");
        Assert.That((status, body.GetProperty("modelVersion").GetInt32(), body.GetProperty("items").GetArrayLength()), Is.EqualTo((HttpStatusCode.OK, other, 3)));
        Assert.That((await GetAsync($"modelVersion={active}&scenario=previous")).Body.GetProperty("modelVersion").GetInt32(), Is.EqualTo(active),
            "the request's own option wins over its scenario's");

        (status, body) = await GetAsync("modelVersion=9");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty("errors").TryGetProperty("modelVersion", out _), Is.True, body.ToString());
        using var unknown = await replica.Client.SendAsync(Admin(HttpMethod.Put, $"/admin/tenants/{tenant}/scenarios/nowhere", new { modelVersion = 9 }));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await unknown.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Activating_a_version_that_does_not_exist_or_an_unknown_job_is_a_404_and_no_token_is_a_401()
    {
        var tenant = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        using var activate = await _recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/models/3/activate"));
        using var job = await _recommendation.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/models/jobs/{Guid.NewGuid()}"));
        using var anonymous = await _recommendation.Client.PostAsync($"/admin/tenants/{tenant}/models/train", null);
        using var wrong = await _recommendation.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/models/train", token: "not-the-token"));

        Assert.That((activate.StatusCode, job.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That(activate.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((anonymous.StatusCode, wrong.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)));
    }

    [Test]
    public async Task Training_a_tenant_without_events_fails_with_the_reason_and_stores_nothing()
    {
        var tenant = "empty-" + Guid.NewGuid().ToString("N")[..8];
        var accepted = await ReadAsync<JobAccepted>(HttpMethod.Post, $"/admin/tenants/{tenant}/models/train");
        var job = await Eventually.ReturnsAsync(() => ReadAsync<Job>(HttpMethod.Get, accepted.Location),
            j => j.State is "succeeded" or "failed", TimeSpan.FromSeconds(60), "the training job to finish");
        Assert.That((job.State, job.Error), Is.EqualTo(("failed", (string?)"the tenant has no interactions to learn from")));
        var models = await ReadAsync<Models>(HttpMethod.Get, $"/admin/tenants/{tenant}/models");
        Assert.That((models.ActiveVersion, models.Versions.Length), Is.EqualTo(((int?)null, 0)));
    }
}
