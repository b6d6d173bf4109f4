using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion.Validation;

/// <summary>Size limits of a tracking request (section <c>Ingestion</c>).</summary>
public sealed class RequestLimits
{
    /// <summary>Largest body accepted on the wire (Segment's own batch limit is 500 KB).</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body after gunzip, a guard against compression bombs.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public long MaxDecompressedBytes { get; set; } = 8 * 1024 * 1024;
}
