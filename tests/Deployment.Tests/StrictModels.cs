using k8s;

namespace Personalization.Deployment.Tests;

/// <summary>
/// The Kubernetes objects of a rendered overlay read into the Kubernetes client's typed models, strictly: a field the
/// API does not have (a misspelt one) fails here, where the schemas of check.mjs let unknown fields through. Custom
/// resources (Dapr, KEDA, the Prometheus operator) have no model here and are left to check.mjs.
/// </summary>
public static class StrictModels
{
    private static readonly string[] CustomGroups = ["dapr.io/", "keda.sh/", "monitoring.coreos.com/"];

    public static IReadOnlyList<string> Problems(string manifests)
    {
        var problems = new List<string>();
        foreach (var document in manifests.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var apiVersion = Field(document, "apiVersion");
            if (apiVersion is null || CustomGroups.Any(g => apiVersion.StartsWith(g, StringComparison.Ordinal))) continue;
            try
            {
                KubernetesYaml.LoadAllFromString(document, typeMap: null, strict: true);
            }
            catch (Exception ex)
            {
                problems.Add($"{Field(document, "kind")}/{Name(document)}: {ex.Message}");
            }
        }
        return problems;
    }

    private static string? Field(string document, string name) =>
        document.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim();

    private static string? Name(string document) =>
        document.Split('\n').SkipWhile(l => l != "metadata:").Skip(1).TakeWhile(l => l.StartsWith(' '))
            .FirstOrDefault(l => l.StartsWith("  name:", StringComparison.Ordinal))?["  name:".Length..].Trim();
}
