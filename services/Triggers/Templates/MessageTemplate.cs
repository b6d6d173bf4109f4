using Fluid;

namespace Personalization.Triggers.Templates;

/// <summary>The channels a journey sends on; a template is written for one of them.</summary>
public enum Channel { Email, Push, Webhook }

/// <summary>
/// A message template: its Liquid parts for one channel (email: subject, html and text; push: title, body and url;
/// webhook: body), parsed, and the fallback parts used whole when rendering the main ones fails.
/// </summary>
/// <param name="UsesRecommendations">Whether the main parts name <c>recommendations</c>: then the Recommendation service is asked at send time.</param>
public sealed record MessageTemplate(string Name, Channel Channel, IReadOnlyDictionary<string, IFluidTemplate> Parts,
    IReadOnlyDictionary<string, IFluidTemplate>? Fallback, bool UsesRecommendations);
