namespace Personalization.Triggers.Feedback;

/// <summary>
/// Where feedback events go: ingestion's tracking API at <c>Feedback:IngestionUrl</c>, with a write key per tenant
/// (<c>Feedback:WriteKeys:{tenant}</c>, a source of the tenant's such as "triggers"). A tenant without one keeps its
/// feedback waiting here until one is set.
/// </summary>
public sealed class FeedbackSettings
{
    public const string Section = "Feedback";

    public Uri? IngestionUrl { get; set; }
    public Dictionary<string, string> WriteKeys { get; set; } = [];
}
