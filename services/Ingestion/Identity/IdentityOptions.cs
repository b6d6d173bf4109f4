using System.ComponentModel.DataAnnotations;

namespace Personalization.Ingestion.Identity;

public sealed class IdentityOptions
{
    public const string Section = "Ingestion:Identity";

    /// <summary>
    /// How long a node remembers that an anonymous id has no link yet, which saves a lookup per anonymous event.
    /// Another node's new link is missed for up to this long; the profile still gets those events (it follows the
    /// anonymous stream once merged), but they stay in the anonymous stream of the log.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan UnlinkedCacheFor { get; set; } = TimeSpan.FromSeconds(2);
}
