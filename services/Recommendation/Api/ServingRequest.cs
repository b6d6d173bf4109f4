using Microsoft.AspNetCore.Http.HttpResults;
using Personalization.Recommendation.Serving;
using Personalization.Recommendation.Serving.Rules;

namespace Personalization.Recommendation.Api;

/// <summary>The serving API's shared checks: rules that do not parse and versions that are not stored are 400s naming the field.</summary>
public static class ServingRequest
{
    public static IResult UnknownVersion(string tenantId, int version) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["modelVersion"] = [$"Tenant '{tenantId}' has no model version {version} (GET /admin/tenants/{tenantId}/models lists them)."] },
        title: "Unknown model version");

    /// <summary>Which of a filter and a boost expression does not parse, and why; null when both do.</summary>
    public static (string Parameter, string Message)? RuleMistake(string? filter, string? boost) =>
        ParseRules(filter, boost, out _) is ProblemHttpResult { ProblemDetails: var problem }
            ? ((string)problem.Extensions["parameter"]!, problem.Detail!)
            : null;

    /// <summary>The rules of a filter and a boost expression, either absent; or a 400 naming the expression and the position of its mistake.</summary>
    public static IResult? ParseRules(string? filter, string? boost, out ItemRules rules)
    {
        rules = ItemRules.None;
        if (filter is null && boost is null) return null;
        var (parameter, text) = ("filter", filter);
        try
        {
            var condition = filter is null ? null : RuleParser.ParseCondition(filter);
            (parameter, text) = ("boost", boost);
            rules = new ItemRules(condition, boost is null ? [] : RuleParser.ParseBoosts(boost));
            return null;
        }
        catch (RuleSyntaxException ex)
        {
            return TypedResults.Problem(title: $"The {parameter} is not valid", detail: $"At position {ex.Position}: {ex.Message}.",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["position"] = ex.Position, ["expression"] = text });
        }
    }
}
