using System.Buffers.Text;
using System.Text;

namespace Personalization.Contracts.Profiles;

/// <summary>How a person's CustomerProfile actor is addressed, for the service that hosts it and those that read it.</summary>
public static class ProfileActors
{
    public const string TypeName = "CustomerProfile";

    /// <summary>The read method, callable without remoting (JSON in and out): the profile, or null before any event.</summary>
    public const string GetMethod = "GetAsync";

    // User ids may hold '/', '%' or spaces; base64url keeps actor ids safe in Dapr's URL paths, and reversible.
    public static string IdFor(StreamKey key) => IdFor(key.ToString());

    public static string IdFor(string streamKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(streamKey));
}
