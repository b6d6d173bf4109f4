using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Http;
using Personalization.DaprSidecar.Reminders;

namespace Personalization.DaprSidecar.Timers;

/// <summary><c>PUT/DELETE /v1.0/actors/{type}/{id}/timers/{name}</c>, kept in memory.</summary>
public static class TimerApi
{
    private const string Route = "/v1.0/actors/{actorType}/{actorId}/timers/{name}";

    public static IEndpointRouteBuilder MapTimerApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Route, ["PUT", "POST"], CreateAsync);
        app.MapDelete(Route, (string actorType, string actorId, string name, ActorTimers timers) =>
        {
            timers.Delete(new ActorKey(actorType, actorId), name);
            return TypedResults.NoContent();
        });
        return app;
    }

    private static async Task<IResult> CreateAsync(
        string actorType, string actorId, string name, HttpRequest request,
        ActorTypeDirectory directory, ActorTimers timers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, malformed) = await ScheduleRequest.ReadAsync(request, cancellationToken);
        if (body is null)
            return malformed!;

        var actor = new ActorKey(actorType, actorId);
        if (await directory.ResolveAsync(actorType, cancellationToken) is not { } type)
            return DaprError.TimerCreateFailed($"can't create timer for actor {actor}: actor type not registered ({directory.DescribeApps()})");

        try
        {
            var schedule = Schedule.Plan(body, clock.GetUtcNow(), isTimer: true);
            timers.Register(type, actor, name, body, schedule);
        }
        catch (FormatException ex)
        {
            return DaprError.TimerCreateFailed(ex.Message);
        }
        return TypedResults.NoContent();
    }
}
