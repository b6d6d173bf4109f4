namespace Personalization.Deployment.Tests;

/// <summary>docker-compose.yml against the Compose specification's schema and the suite's rules; a broken copy fails.</summary>
public class ComposeTests
{
    [Test]
    public async Task The_compose_file_follows_the_specification_and_runs_every_service_with_its_sidecar()
    {
        var report = await ManifestCheck.CheckComposeAsync();

        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Services, Is.SupersetOf(new[]
        {
            "ingestion", "ingestion-relay", "migrate", "segmentation", "segmentation-dapr", "recommendation", "recommendation-dapr",
            "triggers", "triggers-dapr", "admin-console", "placement", "scheduler", "postgres", "rabbitmq", "smtp4dev", "otel-collector", "jaeger",
        }));
    }

    [Test]
    public async Task A_broken_compose_file_fails_with_each_reason()
    {
        var broken = Path.GetTempFileName();
        try
        {
            var text = await File.ReadAllTextAsync(Path.Combine(Personalization.TestSupport.LocalInfrastructure.RepoRoot, "docker-compose.yml"));
            await File.WriteAllTextAsync(broken, text
                .Replace("network_mode: service:triggers", "network_mode: service:trigger\n    restartt: always")
                .Replace("image: rabbitmq:3.13.7-management", "image: rabbitmq:latest")
                .Replace("""["./daprd", "--app-id", "recommendation",""", """["./daprd", "--app-id", "recommendations","""));

            var report = await ManifestCheck.CheckComposeAsync(broken);

            Assert.That(report.Errors, Is.EquivalentTo(new[]
            {
                "/services/triggers-dapr must NOT have additional properties",
                "service rabbitmq: image rabbitmq:latest uses latest",
                "service triggers-dapr: must share triggers's network (network_mode: service:triggers)",
                "service recommendation-dapr: --app-id must be recommendation, not recommendations",
            }));
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
