namespace Personalization.Ingestion.Sources;

/// <summary>Write keys from configuration (section <c>Ingestion</c>).</summary>
public sealed class WriteKeyOptions
{
    /// <summary>
    /// Static write keys (key to tenant, source "default"), for bootstrap and development. Keys made with the admin
    /// API live in the database instead.
    /// </summary>
    public Dictionary<string, string> WriteKeys { get; set; } = [];
}
