using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Templates;

/// <summary>The tenants' templates: versioned definitions of kind template, parsed when read for use.</summary>
public sealed class TemplateStore
{
    private readonly DefinitionStore _definitions;
    private readonly TenantCache<MessageTemplate?> _current;

    public TemplateStore(DefinitionStore definitions, TimeProvider clock)
    {
        _definitions = definitions;
        _current = new TenantCache<MessageTemplate?>(async (key, ct) =>
        {
            var (tenantId, id) = (key[..key.IndexOf('\n')], key[(key.IndexOf('\n') + 1)..]);
            return (await definitions.CurrentAsync(tenantId, DefinitionKind.Template, [id], ct)).TryGetValue(id, out var body) ? TemplateParser.Parse(body).Template : null;
        }, clock);
    }

    /// <summary>The template as it stands (its latest version, parsed), as sends render it; null when it does not exist or is archived. A change shows within the cache's time.</summary>
    public Task<MessageTemplate?> CurrentAsync(string tenantId, string templateId, CancellationToken cancellationToken) =>
        _current.GetAsync($"{tenantId}\n{templateId}", cancellationToken);

    /// <summary>The channel of each of these templates that exists (and is not archived), by id.</summary>
    public async Task<IReadOnlyDictionary<string, Channel>> ChannelsAsync(string tenantId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var current = await _definitions.CurrentAsync(tenantId, DefinitionKind.Template, ids, cancellationToken);
        var channels = new Dictionary<string, Channel>(StringComparer.Ordinal);
        foreach (var (id, body) in current)
            if (TemplateParser.Parse(body).Template is { } template) channels[id] = template.Channel;
        return channels;
    }
}
