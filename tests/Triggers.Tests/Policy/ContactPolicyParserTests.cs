using Personalization.Contracts;
using System.Text.Json;
using Personalization.Triggers.Policy;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Tests.Policy;

public class ContactPolicyParserTests
{
    private static Dictionary<string, string[]> Faults(string json) => ContactPolicyParser.Parse(JsonDocument.Parse(json).RootElement).Faults.ToDictionary();

    [Test]
    public void A_policy_parses_with_its_defaults()
    {
        var (policy, faults) = ContactPolicyParser.Parse(JsonDocument.Parse("""{"channels": {"push": {"caps": [{"max": 2, "per": "1d"}]}}}""").RootElement);
        Assert.That(faults.Any, Is.False);
        Assert.That(policy!.DefaultTimeZone, Is.EqualTo(TimeZoneInfo.Utc));
        Assert.That(policy.For(Channel.Push).Caps, Is.EqualTo(new[] { new FrequencyCap(2, TimeSpan.FromDays(1)) }));
        Assert.That((policy.For(Channel.Email).Quiet, policy.For(Channel.Webhook).Quiet), Is.EqualTo((true, false)), "channels not listed keep the defaults");
    }

    [TestCase("""{"timeZone": "Mars/Olympus"}""", "$.timeZone", "IANA")]
    [TestCase("""{"quietHours": {"from": "9pm", "to": "08:00"}}""", "$.quietHours.from", "HH:mm")]
    [TestCase("""{"quietHours": {"from": "08:00", "to": "08:00"}}""", "$.quietHours", "same time")]
    [TestCase("""{"channels": {"sms": {}}}""", "$.channels.sms", "Unknown channel")]
    [TestCase("""{"channels": {"-1": {}}}""", "$.channels.-1", "Unknown channel")]
    [TestCase("""{"channels": {"email": {"caps": [{"max": -1, "per": "7d"}]}}}""", "$.channels.email.caps[0].max", "whole number")]
    [TestCase("""{"channels": {"email": {"caps": [{"max": 3, "per": "week"}]}}}""", "$.channels.email.caps[0].per", "duration")]
    [TestCase("""{"subscriptionGroups": [{"id": "news", "name": "News"}, {"id": "news", "name": "Again"}]}""", "$.subscriptionGroups[1].id", "twice")]
    [TestCase("""{"quiet": {}}""", "$.quiet", "Unknown property")]
    public void A_bad_policy_gets_a_fault_at_its_path(string json, string path, string message)
    {
        var faults = Faults(json);
        Assert.That(faults.Keys, Does.Contain(path), string.Join("; ", faults.Keys));
        Assert.That(string.Join(" ", faults[path]), Does.Contain(message));
    }
}
