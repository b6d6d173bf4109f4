using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static Personalization.EndToEnd.Tests.Platform;

namespace Personalization.EndToEnd.Tests.Segments;

/// <summary>Calls to Segmentation's segment APIs as the tests make them: the status and the JSON body (default when empty).</summary>
public static class SegmentCalls
{
    /// <summary>An admin call, with a JSON body when given.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = Admin(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await SendAsync(request);
    }

    /// <summary>A read with a tenant read token.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(string path, string token = ReadToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await SendAsync(request);
    }

    /// <summary>Saves a definition of the e2e tenant (or another) and checks the status it answers with.</summary>
    public static async Task<JsonElement> DefineAsync(string segmentId, string json, HttpStatusCode expected, string? tenant = null)
    {
        var (status, body) = await AdminAsync(HttpMethod.Put, $"/admin/tenants/{tenant ?? Tenant}/segments/{segmentId}", json);
        Assert.That(status, Is.EqualTo(expected), body.ToString());
        return body;
    }

    private static async Task<(HttpStatusCode, JsonElement)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Segmentation.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
