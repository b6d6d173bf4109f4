using System.Text.Json;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Http;

namespace Personalization.DaprSidecar.State;

/// <summary>Actor state: <c>GET /v1.0/actors/{type}/{id}/state/{key}</c> and the transactional <c>PUT .../state</c>.</summary>
public static class ActorStateApi
{
    public static IEndpointRouteBuilder MapActorStateApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1.0/actors/{actorType}/{actorId}/state/{key}", GetAsync);
        app.MapMethods("/v1.0/actors/{actorType}/{actorId}/state", ["PUT", "POST"], SaveAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string actorType, string actorId, string key, ActorStateStore store, CancellationToken cancellationToken)
    {
        string? value;
        try
        {
            value = await store.GetAsync(new ActorKey(actorType, actorId), key, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return DaprError.StateGetFailed(ex.Message);
        }
        // 204 for a missing key: the .NET runtime reads an empty body as "no value".
        return value is null ? TypedResults.NoContent() : TypedResults.Text(value, "application/json", System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> SaveAsync(
        string actorType, string actorId, HttpRequest request, ActorStateStore store, ActorTable actors, CancellationToken cancellationToken)
    {
        var actor = new ActorKey(actorType, actorId);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);

        IReadOnlyList<StateOperation>? operations = null;
        string? refusal = null;
        try
        {
            operations = StateTransactionParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException ex)
        {
            return DaprError.MalformedRequest(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            refusal = ex.Message;
        }

        // Same order of checks as daprd: the actor must be active here, then each operation must be valid.
        if (!actors.IsActive(actor)) return DaprError.InstanceMissing(actor.ToString());
        if (refusal is not null) return DaprError.StateSaveFailed(refusal);

        try
        {
            await store.ApplyAsync(actor, operations!, cancellationToken);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            return DaprError.StateSaveFailed(ex.Message);
        }
        return TypedResults.NoContent();
    }
}
