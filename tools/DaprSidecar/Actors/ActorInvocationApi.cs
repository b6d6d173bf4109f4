using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Http;

namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// <c>/v1.0/actors/{type}/{id}/method/{method}</c>: the call goes to the hosting app as
/// <c>PUT /actors/{type}/{id}/method/{method}</c> in the actor's turn. Remoting (header X-DaprRequestHeader, binary body)
/// and non-remoting (JSON body) calls are passed through alike; the app's answer decides, as in daprd's onDirectActorMessage.
/// </summary>
public static class ActorInvocationApi
{
    public sealed record InvocationServices(ActorTypeDirectory Directory, ActorTurns Turns, AppChannel Channel);

    public static IEndpointRouteBuilder MapActorInvocationApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v1.0/actors/{actorType}/{actorId}/method/{method}", ["GET", "POST", "PUT", "DELETE"], InvokeAsync);
        return app;
    }

    private static async Task<IResult> InvokeAsync(
        string actorType, string actorId, string method, HttpRequest request, [AsParameters] InvocationServices services, CancellationToken cancellationToken)
    {
        var key = new ActorKey(actorType, actorId);
        if (await services.Directory.ResolveAsync(actorType, cancellationToken) is not { } type)
            return DaprError.NoAddress(key.ToString(), $"no app hosts actor type '{actorType}' ({services.Directory.DescribeApps()})");

        // Read before queueing for the turn, as daprd does, so a slow upload does not hold the actor.
        var body = await ReadBodyAsync(request, cancellationToken);
        var headers = request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.OfType<string>().ToArray())).ToList();

        // With reentrancy on, daprd gives a new call chain an id and sends it to the app; the .NET runtime puts it on the
        // actor's own outgoing calls, and that is how a call coming back to this actor is recognised.
        var incomingId = request.Headers[AppChannel.ReentrancyIdHeader].FirstOrDefault();
        var reentrancyId = type.ReentrancyEnabled ? (string.IsNullOrEmpty(incomingId) ? Guid.NewGuid().ToString() : incomingId) : null;

        AppReply reply;
        try
        {
            reply = await services.Turns.RunAsync(type, key, reentrancyId,
                ct => services.Channel.InvokeMethodAsync(type, key, method, body, headers, reentrancyId, ct), cancellationToken);
        }
        catch (StackDepthExceededException ex)
        {
            return DaprError.StackDepth(ex.Message);
        }
        catch (TurnTimeoutException ex)
        {
            var hint = type.ReentrancyEnabled
                ? "the actor stayed busy"
                : $"reentrancy is off for '{actorType}', so a call chain that comes back to {key} waits behind its own turn";
            return DaprError.InvokeFailed($"{ex.Message} of {key} ({hint})");
        }
        catch (HttpRequestException ex)
        {
            return DaprError.InvokeFailed($"the app at {type.App} hosting '{actorType}' did not answer: {ex.Message}");
        }

        // daprd's HTTP transport: 404 and any status but 200 are failures of the call; a 200 carrying the .NET remoting
        // error header is the actor's own exception and goes back as it came.
        if (reply.StatusCode == StatusCodes.Status404NotFound)
            return DaprError.InvokeFailed($"actor method not found: {method} (the app at {type.App} answered 404 for {key})");
        if (reply.StatusCode != StatusCodes.Status200OK)
            return DaprError.InvokeFailed($"error from actor service: ({reply.StatusCode}) {reply.BodyText()}");
        return new AppReplyResult(reply);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
