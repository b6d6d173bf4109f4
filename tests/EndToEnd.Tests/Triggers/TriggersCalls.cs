using System.Net;
using System.Text;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Triggers;

/// <summary>Calls to Triggers' admin API and to the tracking API as the journey tests make them.</summary>
public static class TriggersCalls
{
    /// <summary>An admin call with a JSON body when given; fails the test unless it answers 200 or 201.</summary>
    public static async Task AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = Admin(method, path);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Platform.Triggers.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the events to the tracking API (the e2e tenant's write key unless another is given); fails the test unless they are taken.</summary>
    public static async Task PostEventsAsync(IEnumerable<object> batch, string writeKey = WriteKey)
    {
        using var response = await Ingestion.Client.SendAsync(Post("/v1/batch", JsonSerializer.Serialize(new { batch }), writeKey));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }
}
