using System.Text.Json;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Recommendations;

namespace Personalization.Triggers.Templates;

/// <summary>A template rendered for a person, as a send would render it, and what it was rendered from.</summary>
public sealed record PreviewResult(Channel Channel, RenderedMessage Message, bool ProfileRead, bool RecommendationsAsked);

/// <summary>Renders a saved template for a person: their profile from the profile actor, the given entry event, and recommendations when the template names them.</summary>
public sealed class TemplatePreview(DefinitionStore definitions, ProfileReader profiles, RecommendationClient recommendations)
{
    /// <summary>A preview waits this long for the profile, then renders without it.</summary>
    public static readonly TimeSpan ProfileTimeout = TimeSpan.FromSeconds(2);

    /// <returns>Null when the tenant has no such template.</returns>
    public async Task<PreviewResult?> RenderAsync(string tenantId, string templateId, string userId, JsonElement? entryEvent, string? scenario, CancellationToken cancellationToken)
    {
        if (await definitions.GetAsync(tenantId, DefinitionKind.Template, templateId, cancellationToken) is not { } saved
            || TemplateParser.Parse(saved.Definition).Template is not { } template)
            return null;
        var profile = await profiles.ReadAsync(tenantId, userId, ProfileTimeout, cancellationToken);
        var picks = template.UsesRecommendations ? await recommendations.ForAsync(tenantId, userId, scenario, cancellationToken) : null;
        var message = await TemplateRenderer.RenderAsync(template, new RenderInput(profile.Profile, entryEvent, picks));
        return new PreviewResult(template.Channel, message, profile.Reached && profile.Profile is not null, template.UsesRecommendations);
    }
}
