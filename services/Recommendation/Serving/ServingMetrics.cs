using System.Diagnostics.Metrics;

namespace Personalization.Recommendation.Serving;

/// <summary>How long serving takes, from finding the tenant's model to the ranked answer (exported through OpenTelemetry).</summary>
public sealed class ServingMetrics(IMeterFactory meters)
{
    public const string MeterName = "Personalization.Recommendation";

    private readonly Histogram<double> _duration = meters.Create(MeterName).CreateHistogram<double>("recommendation.serving.duration", "ms",
        "Time to answer a recommendation request, by what it is for (user, page, cart) and outcome (served, or no_model when the tenant has none).");

    public void Answered(string anchor, RecommendationAnswer? answer, TimeSpan took) =>
        _duration.Record(took.TotalMilliseconds, new("anchor", anchor), new("outcome", answer is null ? "no_model" : "served"));
}
