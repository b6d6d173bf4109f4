namespace Personalization.Segmentation.Segments.Preview;

/// <summary>
/// A definition not saved yet, as its JSON, sent to a person's actor to ask whether they would be in it now. It is
/// judged under an id no saved segment can have, beside the tenant's live segments, which it may refer to.
/// </summary>
public sealed record SegmentDraft(string Definition)
{
    public const string Id = "~draft";
}
