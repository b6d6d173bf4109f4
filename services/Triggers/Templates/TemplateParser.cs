using Personalization.Contracts;
using System.Text.Json;
using Fluid;
using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Templates;

/// <summary>
/// Reads a template definition and parses its Liquid parts with Fluid, so a template that would fail at send time
/// is refused when it is saved, with the path of the part and Fluid's account of where.
/// </summary>
public static class TemplateParser
{
    private static readonly FluidParser Liquid = new();

    /// <summary>Each channel's parts, and which of them must be there (email: a subject and an html or text body).</summary>
    private static readonly Dictionary<Channel, (string[] Parts, Func<IReadOnlyDictionary<string, IFluidTemplate>, string?> Missing)> Shapes = new()
    {
        [Channel.Email] = (["subject", "html", "text"], parts =>
            !parts.ContainsKey("subject") ? "An email needs a \"subject\"." : parts.ContainsKey("html") || parts.ContainsKey("text") ? null : "An email needs an \"html\" or a \"text\" body, or both."),
        [Channel.Push] = (["title", "body", "url"], parts =>
            parts.ContainsKey("title") && parts.ContainsKey("body") ? null : "A push message needs a \"title\" and a \"body\"."),
        [Channel.Webhook] = (["body"], parts => parts.ContainsKey("body") ? null : "A webhook needs a \"body\"."),
    };

    public static (MessageTemplate? Template, Faults Faults) Parse(JsonElement definition)
    {
        var faults = new Faults();
        if (definition.ValueKind != JsonValueKind.Object)
        {
            faults.Add("$", "Takes a JSON object.");
            return (null, faults);
        }
        var name = faults.RequiredText("$", definition, "name");
        Channel? channel = faults.RequiredText("$", definition, "channel") is { } text
            ? ChannelNames.TryParse(text, out var c) ? c : faults.At<Channel?>("$.channel", ChannelNames.Expected)
            : null;
        if (channel is not { } known) return (null, faults);
        var shape = Shapes[known];
        faults.Unknown("$", definition, ["name", "channel", .. shape.Parts, "fallback"]);
        var parts = Parts("$", definition, shape.Parts, shape.Missing, faults);
        IReadOnlyDictionary<string, IFluidTemplate>? fallback = null;
        if (definition.TryGetProperty("fallback", out var alternative))
        {
            if (alternative.ValueKind != JsonValueKind.Object) faults.Add("$.fallback", "Takes an object of the same parts, used whole when the main parts fail to render.");
            else
            {
                faults.Unknown("$.fallback", alternative, shape.Parts);
                fallback = Parts("$.fallback", alternative, shape.Parts, shape.Missing, faults);
            }
        }
        var usesRecommendations = shape.Parts.Any(part => definition.TryGetProperty(part, out var source) && source.ValueKind == JsonValueKind.String
            && source.GetString()!.Contains(TemplateRenderer.Recommendations, StringComparison.Ordinal));
        return faults.Any ? (null, faults) : (new MessageTemplate(name!, known, parts, fallback, usesRecommendations), faults);
    }

    private static Dictionary<string, IFluidTemplate> Parts(string path, JsonElement owner, string[] names,
        Func<IReadOnlyDictionary<string, IFluidTemplate>, string?> missing, Faults faults)
    {
        var parts = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        var unparsed = false;
        foreach (var name in names)
        {
            if (faults.OptionalText(path, owner, name) is not { } source) continue;
            if (Liquid.TryParse(source, out var template, out var error)) parts[name] = template;
            else
            {
                faults.Add($"{path}.{name}", $"The Liquid does not parse: {error}");
                unparsed = true;
            }
        }
        if (!unparsed && missing(parts) is { } why) faults.Add(path, why);
        return parts;
    }
}
