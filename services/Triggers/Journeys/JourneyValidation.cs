using Personalization.Contracts;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Journeys;

/// <summary>What a journey needs of the tenant's other definitions: each send step's template exists and is written for its channel.</summary>
public sealed class JourneyValidation(TemplateStore templates)
{
    public async Task CheckAsync(string tenantId, JourneyDefinition journey, Faults faults, CancellationToken cancellationToken)
    {
        var sends = journey.Steps.Select((step, i) => (Step: step as SendStep, Index: i)).Where(s => s.Step is not null).ToList();
        if (sends.Count == 0) return;
        var channels = await templates.ChannelsAsync(tenantId, sends.Select(s => s.Step!.Template).Distinct().ToList(), cancellationToken);
        foreach (var (step, i) in sends)
            if (!channels.TryGetValue(step!.Template, out var channel))
                faults.Add($"$.steps[{i}].send.template", $"Tenant '{tenantId}' has no template '{step.Template}': save it first.");
            else if (channel != step.Channel)
                faults.Add($"$.steps[{i}].send.template", $"Template '{step.Template}' is written for {channel.ToString().ToLowerInvariant()}, not {step.Channel.ToString().ToLowerInvariant()}.");
    }
}
