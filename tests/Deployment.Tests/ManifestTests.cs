namespace Personalization.Deployment.Tests;

/// <summary>Every overlay of k8s/ renders, and what it renders passes the schemas and the policies; broken ones do not.</summary>
public class ManifestTests
{
    [TestCase("dev")]
    [TestCase("production")]
    public async Task An_overlay_renders_every_service_and_passes_the_schemas_and_policies(string overlay)
    {
        var rendered = await ManifestCheck.RenderAsync(Path.Combine(ManifestCheck.K8s, "overlays", overlay));
        var report = await ManifestCheck.CheckAsync(rendered);

        Assert.That(report.Errors, Is.Empty);
        Assert.That(StrictModels.Problems(rendered), Is.Empty, "no field the Kubernetes API does not have");
        Assert.That(report.Kinds["Deployment"], Is.EqualTo(6), "ingestion, its relay, segmentation, recommendation, triggers, the admin console");
        foreach (var kind in new[] { "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ScaledObject", "NetworkPolicy", "ServiceAccount", "Job", "Component", "Configuration", "Resiliency" })
            Assert.That(report.Kinds, Does.ContainKey(kind));
    }

    [Test]
    public async Task An_overlay_that_breaks_the_policies_fails_with_each_reason()
    {
        // An overlay of the real base, as a careless change would write it.
        var overlay = Directory.CreateTempSubdirectory("overlay-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), $$"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - {{Path.GetRelativePath(overlay, Path.Combine(ManifestCheck.K8s, "base"))}}
                images:
                  - name: ghcr.io/personalization/triggers
                    newTag: latest
                replicas:
                  - name: ingestion-relay
                    count: 2
                  - name: admin-console
                    count: 2
                patches:
                  - target:
                      kind: Deployment
                      name: segmentation
                    patch: |-
                      - op: remove
                        path: /spec/template/spec/containers/0/readinessProbe
                      - op: add
                        path: /spec/template/spec/containers/0/env/-
                        value: {name: Email__Smtp__Password, value: hunter2}
                      - op: replace
                        path: /spec/template/metadata/annotations/dapr.io~1app-id
                        value: profiles
                  - target:
                      kind: Service
                      name: triggers
                    patch: |-
                      - op: add
                        path: /spec/sessionAfinity
                        value: ClientIP
                  - target:
                      kind: Job
                    patch: |-
                      - op: replace
                        path: /spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem
                        value: false
                """);
            var rendered = await ManifestCheck.RenderAsync(overlay);
            var report = await ManifestCheck.CheckAsync(rendered);

            Assert.That(report.Errors, Is.EquivalentTo(new[]
            {
                "Deployment/triggers container app: image ghcr.io/personalization/triggers:latest uses latest",
                "Deployment/ingestion-relay: must run exactly one replica, not 2",
                "Deployment/admin-console: must run exactly one replica, not 2",
                "Deployment/segmentation container app: has no readinessProbe",
                "Deployment/segmentation container app: Email__Smtp__Password is written inline; use secretKeyRef",
                "Deployment/segmentation: dapr.io/app-id profiles is no Dapr app of the suite (segmentation, recommendation, triggers)",
                "Job/ingestion-migrate container migrate: must set readOnlyRootFilesystem: true",
            }));
            Assert.That(StrictModels.Problems(rendered), Has.One.StartsWith("Service/triggers: ").And.Contains("sessionAfinity"), "the misspelt field");
        }
        finally
        {
            Directory.Delete(overlay, recursive: true);
        }
    }

    [Test]
    public async Task Objects_that_break_their_schemas_fail_and_an_unknown_kind_is_not_waved_through()
    {
        var report = await ManifestCheck.CheckAsync("""
            apiVersion: v1
            kind: Service
            metadata: {name: shop}
            spec:
              ports: [{port: "http"}]
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata: {name: personalization}
            spec:
              tracing: {samplingRat: "1"}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: shop}
            spec:
              triggers: [{type: cpu, metadata: {value: "70"}}]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: shop}
            stringData: {password: hunter2}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: shop}
            """);

        Assert.That(report.Errors, Has.Some.StartsWith("Service/shop: ").And.Contains("port must be integer"));
        Assert.That(report.Errors, Has.Some.EqualTo("Configuration/personalization: /spec/tracing must NOT have additional properties"));
        Assert.That(report.Errors, Has.Some.StartsWith("ScaledObject/shop: ").And.Contains("scaleTargetRef"));
        Assert.That(report.Errors, Has.Some.EqualTo("Secret/shop: secrets are created outside the manifests and only referenced"));
        Assert.That(report.Errors, Has.Some.EqualTo("Widget/shop: no schema for example.com/v1 Widget"));
    }
}
