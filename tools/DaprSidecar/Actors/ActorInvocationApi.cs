using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Http;
using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// <c>/v1.0/actors/{type}/{id}/method/{method}</c>: the call goes to the hosting app as
/// <c>PUT /actors/{type}/{id}/method/{method}</c> in the actor's turn. Remoting (header X-DaprRequestHeader, binary body)
/// and non-remoting (JSON body) calls are passed through alike; the app's answer decides, as in daprd's onDirectActorMessage.
/// With placement on, a call for an actor placed on another emulator is forwarded there, as daprd forwards to the
/// sidecar of the hosting replica.
/// </summary>
public static class ActorInvocationApi
{
    public sealed record InvocationServices(ActorTypeDirectory Directory, ActorTurns Turns, AppChannel Channel, ActorPlacement Placement, ActorTable Table, TimeProvider Clock);

    public static IEndpointRouteBuilder MapActorInvocationApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v1.0/actors/{actorType}/{actorId}/method/{method}", ["GET", "POST", "PUT", "DELETE"], InvokeAsync);
        return app;
    }

    private static async Task<IResult> InvokeAsync(
        string actorType, string actorId, string method, HttpRequest request, [AsParameters] InvocationServices services, CancellationToken cancellationToken)
    {
        var key = new ActorKey(actorType, actorId);
        // Read before queueing for the turn, as daprd does, so a slow upload does not hold the actor.
        var body = await ReadBodyAsync(request, cancellationToken);
        var headers = request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.OfType<string>().ToArray())).ToList();
        var forwarding = Forwarding.Parse(request.Headers[AppChannel.ForwardedHeader].FirstOrDefault());

        Task<IResult?> TryForwardAsync(string host, bool toHolder) =>
            ForwardToAsync(host, request.Method, key, method, body, headers, forwarding.Next(toHolder), services.Channel, cancellationToken);
        if (!forwarding.IsForwarded && !services.Table.IsActive(key) && services.Placement.RemoteOwnerOf(key) is { } owner)
        {
            if (await TryForwardAsync(owner, toHolder: false) is { } answer) return answer;
            // Nothing listens there: the host stopped or died. Once the leases say so, the ring places the actor anew,
            // perhaps here; until then the call fails and the caller tries again.
            await services.Placement.RenewAsync(services.Clock.GetUtcNow(), cancellationToken);
            if (services.Placement.RemoteOwnerOf(key) is { } next)
                return await TryForwardAsync(next, toHolder: false) ?? Unreachable(next, key, services.Placement);
        }

        if (await services.Directory.ResolveAsync(actorType, cancellationToken) is not { } type)
            return DaprError.NoAddress(key.ToString(), $"no app hosts actor type '{actorType}' ({services.Directory.DescribeApps()})");

        // With reentrancy on, daprd gives a new call chain an id and sends it to the app; the .NET runtime puts it on the
        // actor's own outgoing calls, and that is how a call coming back to this actor is recognised.
        var incomingId = request.Headers[AppChannel.ReentrancyIdHeader].FirstOrDefault();
        var reentrancyId = type.ReentrancyEnabled ? (string.IsNullOrEmpty(incomingId) ? Guid.NewGuid().ToString() : incomingId) : null;

        AppReply reply;
        try
        {
            reply = await services.Turns.RunAsync(type, key, reentrancyId,
                ct => services.Channel.InvokeMethodAsync(type, key, method, body, headers, reentrancyId, ct), cancellationToken, sentByRing: forwarding.SentByRing);
        }
        catch (ActorElsewhereException ex) when (forwarding.Hops < Forwarding.MaxHops)
        {
            return await TryForwardAsync(ex.Host, ex.HoldsIt) ?? Unreachable(ex.Host, key, services.Placement);
        }
        catch (ActorElsewhereException ex)
        {
            return DaprError.InvokeFailed($"{ex.Message}, and a call forwarded {forwarding.Hops} times goes no further (the actor is moving between hosts; try again)");
        }
        catch (LeaseLapsedException ex)
        {
            return DaprError.InvokeFailed(ex.Message);
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

    /// <summary>The other emulator's answer, error bodies included, as it came; null when nothing listens at <paramref name="host"/>.</summary>
    private static async Task<IResult?> ForwardToAsync(
        string host, string httpMethod, ActorKey key, string method, byte[] body, IReadOnlyList<KeyValuePair<string, string[]>> headers,
        Forwarding forwarding, AppChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return new AppReplyResult(await channel.ForwardAsync(host, httpMethod, key, method, body, headers, forwarding, cancellationToken));
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return null;
        }
        catch (HttpRequestException ex)
        {
            return DaprError.InvokeFailed($"the emulator at {host}, where {key} is placed, did not answer: {ex.Message}");
        }
    }

    private static IResult Unreachable(string host, ActorKey key, ActorPlacement placement) =>
        DaprError.InvokeFailed($"the emulator at {host}, where {key} is placed, is not reachable; the others place its actors anew once its lease runs out (within {placement.HostTimeout})");

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
