using Personalization.Contracts.EventLog;

namespace Personalization.Ingestion.Validation;

/// <summary>Either every event of a request, or every error found in it (keyed by JSON path).</summary>
public sealed record ParseResult(IReadOnlyList<EventAccepted> Events, IDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
