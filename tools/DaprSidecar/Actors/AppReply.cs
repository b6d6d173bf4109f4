namespace Personalization.DaprSidecar.Actors;

/// <summary>An app's complete answer to an actor callback, read in full before the actor's turn ends.</summary>
public sealed record AppReply(int StatusCode, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body, string? ContentType)
{
    /// <summary>.NET's remoting runtime answers 200 and signals an actor exception with this header.</summary>
    public const string ErrorResponseHeader = "X-DaprErrorResponseHeader";

    /// <summary>An app may set this on a reminder or timer reply to stop it (daprd's transport.ReminderCancelHeader).</summary>
    public const string ReminderCancelHeader = "X-DaprReminderCancel";

    public bool HasActorError => Headers.Any(h => h.Key.Equals(ErrorResponseHeader, StringComparison.OrdinalIgnoreCase));

    public bool AsksToCancel => Headers.Any(h => h.Key.Equals(ReminderCancelHeader, StringComparison.OrdinalIgnoreCase)
        && h.Value.FirstOrDefault() is { } v && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v is "1" or "yes" or "y" or "on"));

    public string BodyText(int max = 2_000)
    {
        var text = System.Text.Encoding.UTF8.GetString(Body);
        return text.Length <= max ? text : text[..max] + "…";
    }
}
