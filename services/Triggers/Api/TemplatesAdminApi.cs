using System.Text.Json;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Api;

/// <summary>A tenant's message templates (Liquid, per channel) through the admin API, versioned, and rendered for a person on request.</summary>
public static class TemplatesAdminApi
{
    public static IEndpointRouteBuilder MapTemplatesAdminApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapDefinitions(DefinitionKind.Template, "templates", "the parts of each channel are in the Triggers README.",
            (_, definition, _, _) =>
            {
                var (template, faults) = TemplateParser.Parse(definition);
                return Task.FromResult((template?.Name, faults));
            });
        templates.MapPost("/{id}/preview", PreviewAsync);
        return app;
    }

    /// <summary>Renders the template for <c>userId</c>, with an optional entry <c>event</c> and recommendation <c>scenario</c>, as a send would.</summary>
    private static async Task<IResult> PreviewAsync(string tenantId, string id, HttpRequest request, TemplatePreview preview, CancellationToken ct)
    {
        if (await JsonBody.ReadAsync(request, ct) is not { } body) return JsonBody.NotJson();
        var faults = new Faults();
        if (body.ValueKind != JsonValueKind.Object) faults.Add("$", "Takes {\"userId\": ..., \"event\": {...}, \"scenario\": ...}.");
        else
        {
            faults.Unknown("$", body, "userId", "event", "scenario");
            faults.RequiredText("$", body, "userId");
            faults.OptionalText("$", body, "scenario");
            if (body.TryGetProperty("event", out var e) && e.ValueKind != JsonValueKind.Object) faults.Add("$.event", "Takes the entry event as it was sent: an object.");
        }
        if (faults.Any)
            return TypedResults.ValidationProblem(faults.ToDictionary(), title: "The preview request is not valid", detail: "Each entry names the JSON path of a fault.");
        var result = await preview.RenderAsync(tenantId, id, body.GetProperty("userId").GetString()!,
            body.TryGetProperty("event", out var entry) ? entry : null,
            body.TryGetProperty("scenario", out var scenario) && scenario.ValueKind == JsonValueKind.String ? scenario.GetString() : null, ct);
        return result is null ? DefinitionsApi.NotFound("template", tenantId, id) : TypedResults.Ok(result);
    }
}
