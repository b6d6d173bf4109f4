using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Training;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Api;

/// <summary>A tenant's models through the admin API: train on demand, follow the job, list versions, activate or roll back.</summary>
public static class ModelsAdminApi
{
    public sealed record JobAccepted(Guid JobId, string State, string Location);
    /// <param name="ServedHere">The version the replica that answers serves now; it follows an activation within the refresh interval.</param>
    public sealed record ModelsView(int? ActiveVersion, DateTimeOffset? ActivatedAt, int? PreviousVersion, int? ServedHere, IReadOnlyList<ModelVersion> Versions);

    public static IEndpointRouteBuilder MapModelsAdminApi(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/admin/tenants/{tenantId}/models").RequireAdmin().WithTags("Models");
        models.MapPost("/train", TrainAsync).WithSummary("Queue a training job for the tenant's models");
        models.MapGet("/jobs/{jobId}", GetJobAsync).WithSummary("How a training job stands");
        models.MapGet("/", ListAsync).WithSummary("List the tenant's model versions with their offline metrics");
        models.MapPost("/{version:int}/activate", ActivateAsync).WithSummary("Serve a model version");
        return app;
    }

    private static async Task<Accepted<JobAccepted>> TrainAsync(string tenantId, TrainingJobs jobs, CancellationToken ct)
    {
        var job = await jobs.QueueAsync(tenantId, ct);
        var location = $"/admin/tenants/{tenantId}/models/jobs/{job.Id}";
        return TypedResults.Accepted(location, new JobAccepted(job.Id, job.State, location));
    }

    private static async Task<Results<Ok<TrainingJob>, ProblemHttpResult>> GetJobAsync(string tenantId, string jobId, TrainingJobs jobs, CancellationToken ct) =>
        Guid.TryParse(jobId, out var id) && await jobs.GetAsync(tenantId, id, ct) is { } job
            ? TypedResults.Ok(job)
            : TypedResults.Problem(title: "Training job not found", detail: $"Tenant '{tenantId}' has no training job '{jobId}'.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Ok<ModelsView>> ListAsync(string tenantId, ModelRegistry registry, ActiveModels served, CancellationToken ct)
    {
        var active = await registry.ActiveAsync(tenantId, ct);
        return TypedResults.Ok(new ModelsView(active?.Version, active?.ActivatedAt, active?.Previous, served.For(tenantId)?.Version,
            await registry.ListAsync(tenantId, ct)));
    }

    private static async Task<Results<Ok<ModelsView>, ProblemHttpResult>> ActivateAsync(string tenantId, int version, ModelRegistry registry,
        ActiveModels served, CancellationToken ct) =>
        await registry.ActivateAsync(tenantId, version, ct)
            ? await ListAsync(tenantId, registry, served, ct)
            : TypedResults.Problem(title: "Model version not found", detail: $"Tenant '{tenantId}' has no model version {version}.", statusCode: StatusCodes.Status404NotFound);
}
