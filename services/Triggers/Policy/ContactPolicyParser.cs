using System.Globalization;
using System.Text.Json;
using Personalization.Contracts;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Policy;

/// <summary>Reads a tenant's contact policy, collecting every fault under its JSON path.</summary>
public static class ContactPolicyParser
{
    public const int MaxCaps = 10;
    public const int MaxGroups = 100;

    public static (ContactPolicy? Policy, Faults Faults) Parse(JsonElement definition)
    {
        var faults = new Faults();
        if (definition.ValueKind != JsonValueKind.Object)
        {
            faults.Add("$", "Takes a JSON object.");
            return (null, faults);
        }
        faults.Unknown("$", definition, "timeZone", "quietHours", "channels", "subscriptionGroups");
        var zone = TimeZoneInfo.Utc;
        if (faults.OptionalText("$", definition, "timeZone") is { } id && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!))
        {
            faults.Add("$.timeZone", $"Unknown time zone '{id}': give an IANA name such as \"Europe/London\".");
            zone = TimeZoneInfo.Utc;
        }
        QuietHours? quiet = definition.TryGetProperty("quietHours", out var q) ? Quiet("$.quietHours", q, faults) : null;
        var channels = new Dictionary<Channel, ChannelPolicy>();
        if (definition.TryGetProperty("channels", out var c))
        {
            if (c.ValueKind != JsonValueKind.Object) faults.Add("$.channels", "Takes an object keyed by channel: \"email\", \"push\", \"webhook\".");
            else
                foreach (var property in c.EnumerateObject())
                    if (!ChannelNames.TryParse(property.Name, out var channel))
                        faults.Add($"$.channels.{property.Name}", "Unknown channel. " + ChannelNames.Expected);
                    else if (ChannelRules($"$.channels.{property.Name}", property.Value, channel, faults) is { } rules)
                        channels[channel] = rules;
        }
        var groups = new List<SubscriptionGroup>();
        if (definition.TryGetProperty("subscriptionGroups", out var g))
        {
            if (g.ValueKind != JsonValueKind.Array || g.GetArrayLength() > MaxGroups) faults.Add("$.subscriptionGroups", $"Takes a list of up to {MaxGroups} {{\"id\": ..., \"name\": ...}}.");
            else
                foreach (var (item, i) in g.EnumerateArray().Select((item, i) => (item, i)))
                {
                    var path = $"$.subscriptionGroups[{i}]";
                    if (item.ValueKind != JsonValueKind.Object) { faults.Add(path, "Takes {\"id\": ..., \"name\": ...}."); continue; }
                    faults.Unknown(path, item, "id", "name");
                    var groupId = faults.RequiredText(path, item, "id");
                    var name = faults.RequiredText(path, item, "name");
                    if (groupId is not null && !DefinitionIds.IsValid(groupId)) faults.Add($"{path}.id", $"A group id is {DefinitionIds.Rule}.");
                    else if (groupId is not null && groups.Any(existing => existing.Id == groupId)) faults.Add($"{path}.id", $"Group '{groupId}' is listed twice.");
                    else if (groupId is not null && name is not null) groups.Add(new SubscriptionGroup(groupId, name));
                }
        }
        return faults.Any ? (null, faults) : (new ContactPolicy(zone, quiet, channels, groups), faults);
    }

    private static QuietHours? Quiet(string path, JsonElement quiet, Faults faults)
    {
        if (quiet.ValueKind != JsonValueKind.Object) return faults.At<QuietHours>(path, "Takes {\"from\": \"21:00\", \"to\": \"08:00\"}.");
        faults.Unknown(path, quiet, "from", "to");
        var from = Time($"{path}.from", quiet, "from", faults);
        var to = Time($"{path}.to", quiet, "to", faults);
        if (from is { } start && to is { } end && start == end) return faults.At<QuietHours>(path, "\"from\" and \"to\" are the same time: no quiet hours, or all day?");
        return from is { } f && to is { } t ? new QuietHours(f, t) : null;
    }

    private static ChannelPolicy? ChannelRules(string path, JsonElement rules, Channel channel, Faults faults)
    {
        if (rules.ValueKind != JsonValueKind.Object) return faults.At<ChannelPolicy>(path, "Takes {\"caps\": [...], \"journeyCaps\": [...], \"quietHours\": true}.");
        faults.Unknown(path, rules, "caps", "journeyCaps", "quietHours");
        var caps = rules.TryGetProperty("caps", out var c) ? Caps($"{path}.caps", c, faults) : [];
        var journeyCaps = rules.TryGetProperty("journeyCaps", out var j) ? Caps($"{path}.journeyCaps", j, faults) : [];
        var quiet = channel != Channel.Webhook;
        if (rules.TryGetProperty("quietHours", out var q))
        {
            if (q.ValueKind is JsonValueKind.True or JsonValueKind.False) quiet = q.GetBoolean();
            else faults.Add($"{path}.quietHours", "Takes true (the tenant's quiet hours hold) or false.");
        }
        return new ChannelPolicy(caps, journeyCaps, quiet);
    }

    private static List<FrequencyCap> Caps(string path, JsonElement caps, Faults faults)
    {
        var list = new List<FrequencyCap>();
        if (caps.ValueKind != JsonValueKind.Array || caps.GetArrayLength() > MaxCaps)
        {
            faults.Add(path, $"Takes a list of up to {MaxCaps} {{\"max\": 3, \"per\": \"7d\"}}.");
            return list;
        }
        foreach (var (cap, i) in caps.EnumerateArray().Select((cap, i) => (cap, i)))
        {
            var at = $"{path}[{i}]";
            if (cap.ValueKind != JsonValueKind.Object) { faults.Add(at, "Takes {\"max\": 3, \"per\": \"7d\"}."); continue; }
            faults.Unknown(at, cap, "max", "per");
            int max = 0;
            var maxOk = cap.TryGetProperty("max", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out max) && max >= 0;
            if (!maxOk) faults.Add($"{at}.max", "Takes a whole number of messages, 0 or more.");
            TimeSpan? per = cap.TryGetProperty("per", out var p) && p.ValueKind == JsonValueKind.String ? Durations.Parse(p.GetString()) : null;
            if (per is null) faults.Add($"{at}.per", $"Takes {Durations.Rule}.");
            if (maxOk && per is { } window) list.Add(new FrequencyCap(max, window));
        }
        return list;
    }

    private static TimeOnly? Time(string path, JsonElement owner, string name, Faults faults) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && TimeOnly.TryParseExact(value.GetString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : faults.At<TimeOnly?>(path, "Takes a local time of day, \"HH:mm\" (24-hour).");
}
