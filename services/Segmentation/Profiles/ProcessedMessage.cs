namespace Personalization.Segmentation.Profiles;

/// <summary>Inbox entry: a message id already applied, so a redelivery changes nothing.</summary>
public sealed record ProcessedMessage(Guid Id, DateTimeOffset ProcessedAt);
