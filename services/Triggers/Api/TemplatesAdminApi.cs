using Personalization.Triggers.Definitions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Api;

/// <summary>A tenant's message templates (Liquid, per channel) through the admin API, versioned.</summary>
public static class TemplatesAdminApi
{
    public static IEndpointRouteBuilder MapTemplatesAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapDefinitions(DefinitionKind.Template, "templates", "the parts of each channel are in the Triggers README.",
            (_, definition, _, _) =>
            {
                var (template, faults) = TemplateParser.Parse(definition);
                return Task.FromResult((template?.Name, faults));
            });
        return app;
    }
}
