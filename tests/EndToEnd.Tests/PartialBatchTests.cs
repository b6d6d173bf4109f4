using System.Net;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests;

/// <summary>
/// Partial batch acceptance through the real tracking API, as Segment's API does it: a well-formed batch's valid
/// messages are stored and each invalid one is dead-lettered with its reasons, answered with a 200; a strict source
/// keeps all or nothing.
/// </summary>
public class PartialBatchTests
{
    private static async Task<(string Tenant, string WriteKey)> SourceAsync(bool? strict = null)
    {
        var tenant = "partial-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/sources", new { sourceId = "web", strictBatches = strict }));
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        return (tenant, body.GetProperty("key").GetProperty("writeKey").GetString()!);
    }

    private static string Batch(string user) => $$$"""
        {"batch": [
          {"type": "track", "event": "Product Viewed", "userId": "{{{user}}}", "messageId": "{{{user}}}-0", "properties": {"product_id": "a"}},
          {"type": "bogus", "event": "x", "userId": "{{{user}}}", "messageId": "{{{user}}}-1"},
          {"type": "track", "event": "Product Viewed", "userId": "{{{user}}}", "messageId": "{{{user}}}-2", "properties": {"product_id": "b"}},
          {"type": "track", "event": "x", "userId": "{{{user}}}", "messageId": "{{{user}}}-3", "properties": {"price": 1e200000}},
          {"type": "identify", "userId": "{{{user}}}", "messageId": "{{{user}}}-4", "traits": {"plan": "gold"}}
        ]}
        """;

    private static Task<long> StoredAsync(string tenant, string user) => Database.ScalarAsync<long>(
        "select count(*) from ingestion.mt_events where stream_id = @stream", ("stream", $"{tenant}/user:{user}"));

    [Test]
    public async Task A_batch_stores_its_valid_messages_and_dead_letters_each_invalid_one_with_a_200_naming_them()
    {
        var (tenant, key) = await SourceAsync();
        var user = "ann-" + Guid.NewGuid().ToString("N")[..6];

        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", Batch(user), key));
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
        Assert.That((answer.GetProperty("success").GetBoolean(), answer.GetProperty("stored").GetInt32(), answer.GetProperty("invalid").GetInt32(),
            answer.GetProperty("deadLettered").GetInt32()), Is.EqualTo((true, 3, 2, 2)));
        var errors = answer.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "batch[1]", "batch[3]" }));
        Assert.That(errors.GetProperty("batch[1]").ToString(), Does.Contain("must be one of"));
        Assert.That(errors.GetProperty("batch[3]").ToString(), Does.Contain("too large or too precise"));
        Assert.That(await StoredAsync(tenant, user), Is.EqualTo(3));

        using var listed = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/dead-letters"));
        var letters = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.That(letters.Select(l => l.GetProperty("kind").GetString()), Is.All.EqualTo("invalid"));
        Assert.That(letters.Select(l => l.GetProperty("messageId").GetString()), Is.EquivalentTo(new[] { $"{user}-1", $"{user}-3" }));
        Assert.That(letters.Single(l => l.GetProperty("messageId").GetString() == $"{user}-1").GetProperty("raw").GetProperty("type").GetString(), Is.EqualTo("bogus"),
            "the message is kept as it was sent");

        using var replay = await Ingestion.Client.SendAsync(Admin(HttpMethod.Post, $"/admin/tenants/{tenant}/dead-letters/replay", new { }));
        var outcome = JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement;
        Assert.That((outcome.GetProperty("replayed").GetInt32(), outcome.GetProperty("stillFailing").GetInt32()), Is.EqualTo((0, 2)), "still invalid when judged again");

        using var resent = await Ingestion.Client.SendAsync(Post("/v1/batch", Batch(user), key));
        var again = JsonDocument.Parse(await resent.Content.ReadAsStringAsync()).RootElement;
        Assert.That((again.GetProperty("stored").GetInt32(), again.GetProperty("duplicates").GetInt32()), Is.EqualTo((0, 3)), "a resend stores nothing twice");
    }

    [Test]
    public async Task A_cloudevents_batch_is_taken_in_part_and_on_a_strict_source_all_or_nothing()
    {
        var (tenant, key) = await SourceAsync();
        var (strictTenant, strictKey) = await SourceAsync(strict: true);
        var user = "cleo-" + Guid.NewGuid().ToString("N")[..6];
        var batch = $$$"""
            [{"specversion":"1.0","id":"{{{user}}}-0","source":"/shop","type":"Product Viewed","subject":"{{{user}}}","data":{"product_id":"a"}},
             {"specversion":"1.0","source":"/shop","type":"Product Viewed","subject":"{{{user}}}"},
             {"specversion":"1.0","id":"{{{user}}}-2","source":"/shop","type":"Product Viewed","data":{"product_id":"b"}},
             {"specversion":"1.0","id":"{{{user}}}-3","source":"/shop","type":"Product Added","subject":"{{{user}}}","data":{"product_id":"c"}}]
            """;
        HttpRequestMessage CloudEvents(string writeKey)
        {
            var request = Post("/v1/cloudevents", "", writeKey);
            request.Content = new StringContent(batch, System.Text.Encoding.UTF8, "application/cloudevents-batch+json");
            return request;
        }

        using var response = await Ingestion.Client.SendAsync(CloudEvents(key));
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        using var strict = await Ingestion.Client.SendAsync(CloudEvents(strictKey));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
        Assert.That((answer.GetProperty("stored").GetInt32(), answer.GetProperty("invalid").GetInt32(), answer.GetProperty("deadLettered").GetInt32()), Is.EqualTo((2, 2, 2)));
        Assert.That(answer.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "[1]", "[2]" }));
        Assert.That(await StoredAsync(tenant, user), Is.EqualTo(2));
        using var listed = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/dead-letters"));
        var letters = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.That(letters.Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("format").GetString())), Is.All.EqualTo(("invalid", "cloudevent")));
        Assert.That(letters.Select(l => l.GetProperty("messageId").GetString()), Is.EquivalentTo(new[] { null, $"ce:/shop:{user}-2" }));
        Assert.That(letters.Select(l => l.GetProperty("raw").GetProperty("specversion").GetString()), Is.All.EqualTo("1.0"), "kept as the CloudEvent sent");

        Assert.That(strict.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await StoredAsync(strictTenant, user), Is.Zero, "nothing of the strict source's batch is stored");
    }

    [Test]
    public async Task A_strict_source_refuses_the_whole_batch_and_can_be_switched()
    {
        var (tenant, key) = await SourceAsync(strict: true);
        var user = "bob-" + Guid.NewGuid().ToString("N")[..6];

        using var refused = await Ingestion.Client.SendAsync(Post("/v1/batch", Batch(user), key));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("batch[1]").And.Contain("nothing was stored"));
        Assert.That(await StoredAsync(tenant, user), Is.Zero);

        using (var patched = await Ingestion.Client.SendAsync(Admin(HttpMethod.Patch, $"/admin/tenants/{tenant}/sources/web", new { strictBatches = false })))
            Assert.That(JsonDocument.Parse(await patched.Content.ReadAsStringAsync()).RootElement.GetProperty("strictBatches").GetBoolean(), Is.False);
        await Task.Delay(TimeSpan.FromSeconds(5.5)); // the ingest path's cache of the source's setting
        using var taken = await Ingestion.Client.SendAsync(Post("/v1/batch", Batch(user), key));
        Assert.That(taken.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StoredAsync(tenant, user), Is.EqualTo(3));
    }

    [Test]
    public async Task When_postgresql_refuses_one_event_of_a_batch_the_rest_is_stored_and_it_is_dead_lettered_or_on_a_strict_source_nothing_is()
    {
        var (tenant, key) = await SourceAsync();
        var (strictTenant, strictKey) = await SourceAsync(strict: true);
        var marker = "refuse-me-" + Guid.NewGuid().ToString("N")[..8];
        var user = "dora-" + Guid.NewGuid().ToString("N")[..6];
        string Track(int n, string note) =>
            $$$"""{"type":"track","event":"Product Viewed","userId":"{{{user}}}","messageId":"{{{user}}}-{{{n}}}","properties":{"note":"{{{note}}}"}}""";
        var batch = $$$"""{"batch":[{{{Track(0, "fine")}}},{{{Track(1, marker)}}},{{{Track(2, "fine")}}}]}""";

        // A real refusal by the database (SQL state 22023, as for a value it cannot take), for this test's marker only.
        await Database.ExecuteAsync($$"""
            create function ingestion.refuse_{{marker.Replace('-', '_')}}() returns trigger language plpgsql as $f$
            begin
              if new.data::text like '%{{marker}}%' then raise exception 'value refused by the test' using errcode = '22023'; end if;
              return new;
            end $f$;
            create trigger refuse_{{marker.Replace('-', '_')}} before insert on ingestion.mt_events
              for each row execute function ingestion.refuse_{{marker.Replace('-', '_')}}();
            """);
        try
        {
            using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", batch, key));
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            using var strict = await Ingestion.Client.SendAsync(Post("/v1/batch", batch, strictKey));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That((answer.GetProperty("stored").GetInt32(), answer.GetProperty("deadLettered").GetInt32()), Is.EqualTo((2, 1)));
            Assert.That(await StoredAsync(tenant, user), Is.EqualTo(2));
            using var listed = await Ingestion.Client.SendAsync(Admin(HttpMethod.Get, $"/admin/tenants/{tenant}/dead-letters"));
            var letter = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Single();
            Assert.That((letter.GetProperty("kind").GetString(), letter.GetProperty("messageId").GetString()), Is.EqualTo(("refused", $"{user}-1")));
            Assert.That(letter.GetProperty("reasons").ToString(), Does.Contain("value refused by the test"));

            Assert.That(strict.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await strict.Content.ReadAsStringAsync());
            Assert.That(await StoredAsync(strictTenant, user), Is.Zero, "a strict source's refused request leaves nothing stored behind its 400");
        }
        finally
        {
            await Database.ExecuteAsync($"drop trigger refuse_{marker.Replace('-', '_')} on ingestion.mt_events; drop function ingestion.refuse_{marker.Replace('-', '_')}();");
        }
    }
}
