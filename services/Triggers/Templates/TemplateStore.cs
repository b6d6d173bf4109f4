using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Templates;

/// <summary>The tenants' templates: versioned definitions of kind template, parsed when read for use.</summary>
public sealed class TemplateStore(DefinitionStore definitions)
{
    /// <summary>The channel of each of these templates that exists (and is not archived), by id.</summary>
    public async Task<IReadOnlyDictionary<string, Channel>> ChannelsAsync(string tenantId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var current = await definitions.CurrentAsync(tenantId, DefinitionKind.Template, ids, cancellationToken);
        var channels = new Dictionary<string, Channel>(StringComparer.Ordinal);
        foreach (var (id, body) in current)
            if (TemplateParser.Parse(body).Template is { } template) channels[id] = template.Channel;
        return channels;
    }
}
