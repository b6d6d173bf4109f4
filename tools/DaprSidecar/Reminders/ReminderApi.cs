using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Http;

namespace Personalization.DaprSidecar.Reminders;

/// <summary><c>PUT/GET/DELETE /v1.0/actors/{type}/{id}/reminders/{name}</c>, kept in PostgreSQL.</summary>
public static class ReminderApi
{
    public sealed record ReminderServices(ReminderStore Store, ReminderScheduler Scheduler, ActorTypeDirectory Directory, TimeProvider Clock);

    private const string Route = "/v1.0/actors/{actorType}/{actorId}/reminders/{name}";

    public static IEndpointRouteBuilder MapReminderApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Route, ["PUT", "POST"], CreateAsync);
        app.MapGet(Route, GetAsync);
        app.MapDelete(Route, DeleteAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(
        string actorType, string actorId, string name, HttpRequest request, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        var (body, malformed) = await ScheduleRequest.ReadAsync(request, cancellationToken);
        if (body is null)
            return malformed!;

        if (await services.Directory.ResolveAsync(actorType, cancellationToken) is null)
            return DaprError.ReminderNotHosted(actorType, services.Directory.DescribeApps());

        Schedule schedule;
        try
        {
            schedule = Schedule.Plan(body, services.Clock.GetUtcNow(), isTimer: false);
        }
        catch (FormatException ex)
        {
            return DaprError.ReminderCreateFailed(ex.Message);
        }

        var actor = new ActorKey(actorType, actorId);
        // Registering again replaces the reminder and restarts its schedule (daprd's default overwrite).
        await services.Store.UpsertAsync(new StoredReminder(
            actor, name, Guid.NewGuid(), body.DataJson, body.DueTime, body.Period, body.Ttl,
            schedule.FirstFireAt, schedule.ExpiresAt, schedule.Period.Repetitions), cancellationToken);
        services.Scheduler.Wake(actor, name);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetAsync(
        string actorType, string actorId, string name, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        if (await services.Directory.ResolveAsync(actorType, cancellationToken) is null)
            return DaprError.ReminderNotHosted(actorType, services.Directory.DescribeApps());
        var reminder = await services.Store.GetAsync(new ActorKey(actorType, actorId), name, cancellationToken);
        return reminder is null
            ? DaprError.ReminderNotFound(name)
            : TypedResults.Bytes(CallbackBodies.ReminderRead(reminder), "application/json");
    }

    private static async Task<IResult> DeleteAsync(
        string actorType, string actorId, string name, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        if (await services.Directory.ResolveAsync(actorType, cancellationToken) is null)
            return DaprError.ReminderNotHosted(actorType, services.Directory.DescribeApps());
        var actor = new ActorKey(actorType, actorId);
        // Deleting a reminder that is not there succeeds, as deleting a Scheduler job does.
        await services.Store.DeleteAsync(actor, name, cancellationToken);
        services.Scheduler.Wake(actor, name);
        return TypedResults.NoContent();
    }
}
