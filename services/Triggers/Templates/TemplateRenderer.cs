using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Personalization.Contracts.Profiles;

namespace Personalization.Triggers.Templates;

/// <summary>Recommended items as the Recommendation service answered for this message, with the id its links carry.</summary>
public sealed record RecommendationList(string RecommendationId, JsonElement Items)
{
    public IReadOnlyList<string> ItemIds => [.. Items.EnumerateArray().Select(item => item.GetProperty("itemId").GetString()!)];
}

/// <summary>What a message is rendered from: the person's profile, the event that started the journey, and the recommendations asked for it.</summary>
public sealed record RenderInput(CustomerProfile? Profile, JsonElement? EntryEvent, RecommendationList? Recommendations);

/// <summary>A rendered message: every part, or none (with why) when neither the template nor its fallback could be rendered whole.</summary>
public sealed record RenderedMessage(IReadOnlyDictionary<string, string>? Parts, bool UsedFallback, string? Problem, string? RecommendationId);

/// <summary>
/// Renders a template's parts with Liquid. The variables are <c>profile</c> (the person's profile: traits, context,
/// counts, purchases), <c>cart</c> (its lines), <c>event</c> (the entry event as sent, with its <c>properties</c>),
/// <c>recommendations</c> (items with id, title, category, price, currency) and <c>recommendation_id</c>. HTML parts are
/// HTML-encoded, others not. When a main part fails, or the template names recommendations and none could be had, the
/// fallback parts are rendered instead, all of them: a person never gets a half-rendered message.
/// </summary>
public static class TemplateRenderer
{
    public const string Recommendations = "recommendations";

    /// <summary>A template runs at most this many steps (a loop over a huge list, a runaway recursion), then fails to its fallback.</summary>
    public const int MaxSteps = 100_000;

    private static readonly TemplateOptions Options = new() { MaxSteps = MaxSteps };

    public static async Task<RenderedMessage> RenderAsync(MessageTemplate template, RenderInput input)
    {
        string problem;
        if (template.UsesRecommendations && input.Recommendations is null) problem = "no recommendations could be had";
        else
        {
            try
            {
                return new RenderedMessage(await RenderPartsAsync(template.Parts, input), false, null, input.Recommendations?.RecommendationId);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problem = $"the template failed to render: {e.Message}";
            }
        }
        if (template.Fallback is null) return new RenderedMessage(null, false, $"{problem}, and the template has no fallback", null);
        try
        {
            return new RenderedMessage(await RenderPartsAsync(template.Fallback, input), true, problem, input.Recommendations?.RecommendationId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new RenderedMessage(null, true, $"{problem}, and the fallback failed too: {e.Message}", null);
        }
    }

    private static async Task<Dictionary<string, string>> RenderPartsAsync(IReadOnlyDictionary<string, IFluidTemplate> parts, RenderInput input)
    {
        var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
        var context = Context(input);
        foreach (var (name, part) in parts)
            rendered[name] = await part.RenderAsync(context, name == "html" ? HtmlEncoder.Default : NullEncoder.Default);
        return rendered;
    }

    private static TemplateContext Context(RenderInput input)
    {
        var context = new TemplateContext(Options);
        context.SetValue("profile", Plain(input.Profile is null ? null : JsonSerializer.SerializeToElement(input.Profile, JsonSerializerOptions.Web)));
        context.SetValue("cart", Plain(input.Profile is null ? null : JsonSerializer.SerializeToElement(input.Profile.Cart.Values, JsonSerializerOptions.Web)));
        context.SetValue("event", Plain(input.EntryEvent));
        context.SetValue(Recommendations, Plain(input.Recommendations?.Items));
        context.SetValue("recommendation_id", input.Recommendations?.RecommendationId);
        return context;
    }

    /// <summary>JSON as the plain values Liquid reads (dictionaries, lists, strings, numbers, booleans), so no .NET member is ever exposed.</summary>
    private static object? Plain(JsonElement? json) => json is not { } element ? null : element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(item => Plain(item)).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
