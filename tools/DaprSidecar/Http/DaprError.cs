namespace Personalization.DaprSidecar.Http;

/// <summary>
/// daprd's error body, <c>{"errorCode","message"}</c>, which the .NET SDK turns into a DaprApiException. Not problem
/// details: clients parse this exact shape. Codes and statuses are daprd's (pkg/messages/predefined.go).
/// </summary>
public static class DaprError
{
    public sealed record Body(string ErrorCode, string Message);

    public static IResult Result(int statusCode, string errorCode, string message) =>
        TypedResults.Json(new Body(errorCode, message), statusCode: statusCode);

    public static IResult MalformedRequest(string detail) =>
        Result(StatusCodes.Status400BadRequest, "ERR_MALFORMED_REQUEST", $"failed deserializing HTTP body: {detail}");

    public static IResult BadRequest(string detail) =>
        Result(StatusCodes.Status400BadRequest, "ERR_BAD_REQUEST", $"invalid request: {detail}");

    public static IResult InvokeFailed(string detail) =>
        Result(StatusCodes.Status500InternalServerError, "ERR_ACTOR_INVOKE_METHOD", $"error invoke actor method: {detail}");

    public static IResult NoAddress(string actor, string detail) =>
        Result(StatusCodes.Status404NotFound, "ERR_ACTOR_NO_ADDRESS", $"did not find address for actor '{actor}': {detail}");

    public static IResult StackDepth(string detail) =>
        Result(StatusCodes.Status500InternalServerError, "ERR_ACTOR_STACK_DEPTH", detail);

    public static IResult InstanceMissing(string actor) =>
        Result(StatusCodes.Status400BadRequest, "ERR_ACTOR_INSTANCE_MISSING",
            $"actor instance is missing: {actor} is not active (state is saved from inside an actor's turn)");

    public static IResult StateSaveFailed(string detail) =>
        Result(StatusCodes.Status500InternalServerError, "ERR_ACTOR_STATE_TRANSACTION_SAVE", $"error saving actor transaction state: {detail}");

    public static IResult StateGetFailed(string detail) =>
        Result(StatusCodes.Status500InternalServerError, "ERR_ACTOR_STATE_GET", $"error getting actor state: {detail}");

    public static IResult ReminderNotHosted(string actorType, string apps) =>
        Result(StatusCodes.Status403Forbidden, "ERR_ACTOR_REMINDER_NON_HOSTED",
            $"operations on actor reminders are only possible on hosted actor types: no app hosts '{actorType}' ({apps})");

    public static IResult ReminderCreateFailed(string detail) =>
        Result(StatusCodes.Status500InternalServerError, "ERR_ACTOR_REMINDER_CREATE", $"error creating actor reminder: {detail}");

    public static IResult ReminderNotFound(string name) =>
        Result(StatusCodes.Status404NotFound, "ERR_ACTOR_REMINDER_NOT_FOUND", $"actor reminder not found: {name}");

    public static IResult TimerCreateFailed(string detail) =>
        Result(StatusCodes.Status500InternalServerError, "ERR_ACTOR_TIMER_CREATE", $"error creating actor timer: {detail}");

    public static IResult Unimplemented(string detail) =>
        Result(StatusCodes.Status501NotImplemented, "ERR_API_UNIMPLEMENTED", detail);
}
