using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Personalization.ServiceDefaults;

/// <summary>A request's JSON body read by hand, so every mistake in it is a problem of ours, not a framework 400.</summary>
public static class JsonBody
{
    /// <summary>The JSON body (an empty one is <c>{}</c>), or null when it is not JSON.</summary>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) text = "{}";
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IResult NotJson() =>
        TypedResults.Problem(title: "The body is not JSON", detail: "Send the body as a JSON object.",
            statusCode: StatusCodes.Status400BadRequest);
}
