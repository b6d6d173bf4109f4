using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Personalization.ServiceDefaults;

/// <summary>
/// Settings kept as files, one per key (<c>Ingestion__WriteKeys__{key}</c> holding the tenant, say): a Kubernetes
/// Secret mounted as a directory. Token maps name the secret in the key, so they cannot be environment variables
/// written in a manifest. <c>Secrets:Directory</c> names the directory; its files override every other source.
/// </summary>
public static class SecretsDirectory
{
    public const string Setting = "Secrets:Directory";

    internal static IHostApplicationBuilder AddSecretsDirectory(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration[Setting] is not { Length: > 0 } directory) return builder;
        if (!Directory.Exists(directory))
            throw new InvalidOperationException($"{Setting} names '{directory}', which is not a directory.");
        // A mounted Secret keeps its data in ..data folders beside the key files: directories, which are not read.
        builder.Configuration.AddKeyPerFile(directory, optional: false, reloadOnChange: false);
        return builder;
    }
}
