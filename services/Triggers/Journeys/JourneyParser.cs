using System.Globalization;
using System.Text.Json;
using Personalization.Contracts.Conditions;
using Personalization.Contracts;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Journeys;

/// <summary>
/// Reads a journey definition, collecting every fault under its JSON path. A step goes on to the step it names
/// ("next", or "onEvent" / "onTimeout" / a branch's targets), to <c>"exit"</c>, or when it names none to the step
/// after it in the list (the journey ends after the last). The steps must form no cycle, and every step must be
/// reachable from the first. Templates are checked by <see cref="JourneyValidation"/>, which knows the tenant's.
/// </summary>
public static class JourneyParser
{
    public const string Exit = "exit";
    public const double MaxHoldout = 0.5;
    public const int MaxSteps = 100;

    public static (JourneyDefinition? Journey, Faults Faults) Parse(JsonElement definition)
    {
        var faults = new Faults();
        if (definition.ValueKind != JsonValueKind.Object)
        {
            faults.Add("$", "Takes a JSON object.");
            return (null, faults);
        }
        faults.Unknown("$", definition, "name", "entry", "key", "reentry", "holdout", "exitWhen", "steps");
        var name = faults.RequiredText("$", definition, "name");
        var entry = definition.TryGetProperty("entry", out var e) ? Entry("$.entry", e, faults) : faults.At<JourneyEntry>("$.entry", "Required.");
        var key = faults.OptionalText("$", definition, "key");
        var reentry = definition.TryGetProperty("reentry", out var r) ? Reentry("$.reentry", r, faults) : new Reentry(ReentryMode.Once, null);
        var holdout = 0.0;
        if (definition.TryGetProperty("holdout", out var h) && (h.ValueKind != JsonValueKind.Number || !h.TryGetDouble(out holdout) || holdout is < 0 or > MaxHoldout))
            faults.Add("$.holdout", $"Takes the share of entrants held out, from 0 to {MaxHoldout.ToString(CultureInfo.InvariantCulture)}.");
        var exits = new List<ExitCriterion>();
        if (definition.TryGetProperty("exitWhen", out var x))
        {
            if (x.ValueKind != JsonValueKind.Array) faults.Add("$.exitWhen", "Takes a list of events that end the journey.");
            else
                foreach (var (item, i) in x.EnumerateArray().Select((item, i) => (item, i)))
                    if (ExitCriterion($"$.exitWhen[{i}]", item, faults) is { } criterion) exits.Add(criterion);
        }
        var steps = definition.TryGetProperty("steps", out var s) ? Steps(s, faults) : faults.At<List<JourneyStep>>("$.steps", "Required.");
        if (steps is not null) JourneyGraph.Check(steps, faults);
        return faults.Any || entry is null || steps is null
            ? (null, faults)
            : (new JourneyDefinition(name!, entry, key, reentry, holdout, exits, steps), faults);
    }

    private static JourneyEntry? Entry(string path, JsonElement entry, Faults faults)
    {
        if (entry.ValueKind != JsonValueKind.Object) return faults.At<JourneyEntry>(path, "Takes an object: {\"event\": ...}, {\"segmentEntered\": ...} or {\"broadcast\": ...}.");
        if (entry.TryGetProperty("event", out _))
        {
            faults.Unknown(path, entry, "event", "where");
            return Filter(path, entry, "event", faults) is { } filter ? new EventEntry(filter) : null;
        }
        if (entry.TryGetProperty("segmentEntered", out var segment))
        {
            faults.Unknown(path, entry, "segmentEntered");
            return SegmentId($"{path}.segmentEntered", segment, faults) is { } id ? new SegmentEntry(id) : null;
        }
        if (entry.TryGetProperty("broadcast", out var broadcast))
        {
            faults.Unknown(path, entry, "broadcast");
            path += ".broadcast";
            if (broadcast.ValueKind != JsonValueKind.Object) return faults.At<JourneyEntry>(path, "Takes {\"segment\": ..., \"at\": ..., \"every\": ...}.");
            faults.Unknown(path, broadcast, "segment", "at", "every");
            var id = broadcast.TryGetProperty("segment", out var s) ? SegmentId($"{path}.segment", s, faults) : faults.At<string>($"{path}.segment", "Required.");
            DateTimeOffset? at = faults.RequiredText(path, broadcast, "at") is { } text
                ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) && text.Contains('T')
                    ? when
                    : faults.At<DateTimeOffset?>($"{path}.at", "Takes an ISO 8601 date and time with an offset, such as \"2026-12-24T09:00:00Z\".")
                : null;
            var every = broadcast.TryGetProperty("every", out var period) ? Duration($"{path}.every", period, faults) : null;
            return id is not null && at is { } start ? new BroadcastEntry(id, start, every) : null;
        }
        return faults.At<JourneyEntry>(path, "Takes one of \"event\" (with \"where\"), \"segmentEntered\" or \"broadcast\".");
    }

    private static Reentry Reentry(string path, JsonElement reentry, Faults faults)
    {
        switch (reentry.ValueKind)
        {
            case JsonValueKind.String when reentry.GetString() == "once": return new Reentry(ReentryMode.Once, null);
            case JsonValueKind.String when reentry.GetString() == "everyTime": return new Reentry(ReentryMode.EveryTime, null);
            case JsonValueKind.Object when reentry.TryGetProperty("oncePer", out var period):
                faults.Unknown(path, reentry, "oncePer");
                return new Reentry(ReentryMode.OncePer, Duration($"{path}.oncePer", period, faults));
            default:
                faults.Add(path, "Takes \"once\", \"everyTime\" or {\"oncePer\": \"30d\"}.");
                return new Reentry(ReentryMode.Once, null);
        }
    }

    private static ExitCriterion? ExitCriterion(string path, JsonElement item, Faults faults)
    {
        if (item.ValueKind != JsonValueKind.Object) return faults.At<ExitCriterion>(path, "Takes {\"event\": ..., \"where\": ..., \"matchKey\": ...}.");
        faults.Unknown(path, item, "event", "where", "matchKey");
        var filter = Filter(path, item, "event", faults);
        var matchKey = faults.OptionalText(path, item, "matchKey");
        return filter is null ? null : new ExitCriterion(filter, matchKey);
    }

    private static List<JourneyStep>? Steps(JsonElement steps, Faults faults)
    {
        if (steps.ValueKind != JsonValueKind.Array || steps.GetArrayLength() is 0 or > MaxSteps)
            return faults.At<List<JourneyStep>>("$.steps", $"Takes a list of 1 to {MaxSteps} steps.");
        var items = steps.EnumerateArray().ToList();
        // A step that names no next goes on to the one after it in the list.
        var ids = items.Select(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null).ToList();
        var parsed = new List<JourneyStep>();
        for (var i = 0; i < items.Count; i++)
            if (Step($"$.steps[{i}]", items[i], i + 1 < ids.Count ? ids[i + 1] : null, faults) is { } step) parsed.Add(step);
        return parsed.Count == items.Count ? parsed : null;
    }

    private static JourneyStep? Step(string path, JsonElement step, string? following, Faults faults)
    {
        if (step.ValueKind != JsonValueKind.Object) return faults.At<JourneyStep>(path, "Takes an object with an \"id\" and one of \"wait\", \"waitUntil\", \"waitFor\", \"branch\", \"send\", \"exit\".");
        var id = faults.RequiredText(path, step, "id");
        if (id is not null && (!DefinitionIds.IsValid(id) || id == Exit))
            faults.Add($"{path}.id", id == Exit ? "\"exit\" is the name of the journey's end; choose another id." : $"A step id is {DefinitionIds.Rule}.");
        var kinds = new[] { "wait", "waitUntil", "waitFor", "branch", "send", "exit" }.Where(k => step.TryGetProperty(k, out _)).ToList();
        if (kinds.Count != 1)
        {
            faults.Add(path, kinds.Count == 0
                ? "Unknown step: give one of \"wait\", \"waitUntil\", \"waitFor\", \"branch\", \"send\", \"exit\"."
                : $"A step does one thing; this one has {string.Join(" and ", kinds.Select(k => $"\"{k}\""))}.");
            return null;
        }
        var kind = kinds[0];
        var body = step.GetProperty(kind);
        var at = $"{path}.{kind}";
        string? Target(string name) => Resolved(faults.OptionalText(path, step, name) ?? following);
        switch (kind)
        {
            case "wait":
                faults.Unknown(path, step, "id", "wait", "next");
                return Duration(at, body, faults) is { } duration && id is not null ? new WaitStep(id, duration, Target("next")) : null;
            case "waitUntil":
                faults.Unknown(path, step, "id", "waitUntil", "next");
                return body.ValueKind == JsonValueKind.String && TimeOnly.TryParseExact(body.GetString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                    ? id is null ? null : new WaitUntilStep(id, time, Target("next"))
                    : faults.At<JourneyStep>(at, "Takes a time of day in the person's time zone, \"HH:mm\" (24-hour), such as \"09:00\".");
            case "waitFor":
                faults.Unknown(path, step, "id", "waitFor", "onEvent", "onTimeout");
                if (body.ValueKind != JsonValueKind.Object) return faults.At<JourneyStep>(at, "Takes {\"event\": ..., \"where\": ..., \"matchKey\": ..., \"timeout\": \"24h\"}.");
                faults.Unknown(at, body, "event", "where", "matchKey", "timeout");
                var filter = Filter(at, body, "event", faults);
                var matchKey = faults.OptionalText(at, body, "matchKey");
                var timeout = body.TryGetProperty("timeout", out var t) ? Duration($"{at}.timeout", t, faults) : faults.At<TimeSpan?>($"{at}.timeout", "Required.");
                return filter is not null && timeout is { } limit && id is not null
                    ? new WaitForStep(id, filter, matchKey, limit, Target("onEvent"), Target("onTimeout"))
                    : null;
            case "branch":
                faults.Unknown(path, step, "id", "branch", "else");
                if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() == 0)
                    return faults.At<JourneyStep>(at, "Takes a list of {\"if\": condition, \"next\": step}; the first that holds decides.");
                var cases = new List<BranchCase>();
                var conditions = new ConditionReader(faults);
                foreach (var (item, i) in body.EnumerateArray().Select((item, i) => (item, i)))
                {
                    var casePath = $"{at}[{i}]";
                    if (item.ValueKind != JsonValueKind.Object) { faults.Add(casePath, "Takes {\"if\": condition, \"next\": step}."); continue; }
                    faults.Unknown(casePath, item, "if", "next");
                    var condition = item.TryGetProperty("if", out var c) ? conditions.Read(c, $"{casePath}.if") : faults.At<Condition>($"{casePath}.if", "Required.");
                    if (faults.RequiredText(casePath, item, "next") is { } next && condition is not null) cases.Add(new BranchCase(condition, Resolved(next)));
                }
                return id is not null && cases.Count == body.GetArrayLength() ? new BranchStep(id, cases, Target("else")) : null;
            case "send":
                faults.Unknown(path, step, "id", "send", "next");
                return Send(at, body, faults) is var (channel, template, scenario, url, group) && id is not null
                    ? new SendStep(id, channel, template, scenario, url, group, Target("next"))
                    : null;
            default:
                faults.Unknown(path, step, "id", "exit");
                if (body.ValueKind != JsonValueKind.True && !(body.ValueKind == JsonValueKind.Object && !body.EnumerateObject().Any()))
                    faults.Add(at, "Takes true.");
                return id is null ? null : new ExitStep(id);
        }
    }

    /// <summary>A step's target, null for the journey's end.</summary>
    private static string? Resolved(string? target) => target == Exit ? null : target;

    private static (Channel, string, string?, Uri?, string?)? Send(string path, JsonElement send, Faults faults)
    {
        if (send.ValueKind != JsonValueKind.Object) return faults.At<(Channel, string, string?, Uri?, string?)?>(path, "Takes {\"channel\": ..., \"template\": ...}.");
        faults.Unknown(path, send, "channel", "template", "scenario", "url", "group");
        Channel? channel = faults.RequiredText(path, send, "channel") is { } text
            ? ChannelNames.TryParse(text, out var c) ? c : faults.At<Channel?>($"{path}.channel", ChannelNames.Expected)
            : null;
        var template = faults.RequiredText(path, send, "template");
        if (template is not null && !DefinitionIds.IsValid(template)) faults.Add($"{path}.template", $"A template id is {DefinitionIds.Rule}.");
        var scenario = faults.OptionalText(path, send, "scenario");
        var group = faults.OptionalText(path, send, "group");
        if (group is not null && !DefinitionIds.IsValid(group)) faults.Add($"{path}.group", $"A subscription group id is {DefinitionIds.Rule}.");
        Uri? url = null;
        var urlText = faults.OptionalText(path, send, "url");
        if (channel == Channel.Webhook)
        {
            if (urlText is null) faults.Add($"{path}.url", "A webhook needs the \"url\" to post to.");
            else if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("https" or "http"))
                faults.Add($"{path}.url", "Takes an absolute http or https URL.");
        }
        else if (urlText is not null) faults.Add($"{path}.url", "Only a webhook takes a \"url\".");
        return channel is { } known && template is not null ? (known, template, scenario, url, group) : null;
    }

    private static EventFilter? Filter(string path, JsonElement owner, string name, Faults faults)
    {
        var eventName = faults.RequiredText(path, owner, name);
        var where = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (owner.TryGetProperty("where", out var filter))
        {
            if (filter.ValueKind != JsonValueKind.Object) faults.Add($"{path}.where", "Takes an object of property names and the values they must equal.");
            else
                foreach (var property in filter.EnumerateObject())
                    if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                        faults.Add($"{path}.where.{property.Name}", "Takes a string, number, true, false or null to compare the property with.");
                    else where[property.Name] = property.Value.Clone();
        }
        return eventName is null ? null : new EventFilter(eventName, where);
    }

    private static string? SegmentId(string path, JsonElement value, Faults faults) =>
        value.ValueKind == JsonValueKind.String && ConditionReader.IsAnySegmentId(value.GetString()!)
            ? value.GetString()
            : faults.At<string>(path, $"Takes {ConditionReader.AnySegmentIdRule}.");

    private static TimeSpan? Duration(string path, JsonElement value, Faults faults) =>
        value.ValueKind == JsonValueKind.String && Durations.Parse(value.GetString()) is { } span
            ? span
            : faults.At<TimeSpan?>(path, $"Takes {Durations.Rule}.");
}
