using System.Text.Json;
using Personalization.Contracts.Conditions;
using Personalization.Contracts.Profiles;

namespace Personalization.Recommendation.Decisions;

/// <summary>The content a placement shows a person now, and the rule that chose it (null: the fallback, or nothing).</summary>
public sealed record Decision(string? Rule, JsonElement? Content);

/// <summary>The first rule whose condition holds for the person's profile, segments and the request's context.</summary>
public static class Decider
{
    public static Decision Decide(ParsedPlacement placement, CustomerProfile? profile, DecisionContext context, DateTimeOffset now)
    {
        foreach (var rule in placement.Rules)
            if (rule.If is null || ProfileConditions.Holds(rule.If, profile, now, leaf => leaf switch
                {
                    MemberOf => ProfileConditions.ListsMembership(leaf, profile),
                    ContextTest test => Comparisons.AllHold(test.Comparisons, context.Read(test.Field)),
                    _ => false,
                }))
                return new Decision(rule.Id, rule.Content);
        return new Decision(null, placement.Fallback);
    }
}
