using System.Text;
using Personalization.DaprSidecar.Discovery;

namespace Personalization.DaprSidecar.Tests.Unit;

public class AppConfigParserTests
{
    private static readonly Uri App = new("http://127.0.0.1:5200");

    [Test]
    public void Reads_types_and_app_wide_settings()
    {
        var json = """{"entities":["Cart","Profile"],"actorIdleTimeout":"0h5m0s0ms","reentrancy":{"enabled":true,"maxStackDepth":8}}""";
        var types = AppConfigParser.Parse(App, Encoding.UTF8.GetBytes(json));
        Assert.That(types, Is.EquivalentTo(new[]
        {
            new ActorTypeSettings("Cart", App, TimeSpan.FromMinutes(5), true, 8),
            new ActorTypeSettings("Profile", App, TimeSpan.FromMinutes(5), true, 8),
        }));
    }

    [Test]
    public void Per_type_config_stands_on_its_own_with_daprd_defaults()
    {
        var json = """
            {"entities":["Cart","Profile"],"actorIdleTimeout":"0h5m0s0ms","reentrancy":{"enabled":false},
             "entitiesConfig":[{"entities":["Profile"],"reentrancy":{"enabled":true}}]}
            """;
        var profile = AppConfigParser.Parse(App, Encoding.UTF8.GetBytes(json)).Single(t => t.ActorType == "Profile");
        Assert.That(profile, Is.EqualTo(new ActorTypeSettings("Profile", App, ActorTypeSettings.DefaultIdleTimeout, true, 32)));
    }

    [Test]
    public void Missing_settings_take_daprd_defaults()
    {
        var type = AppConfigParser.Parse(App, """{"entities":["Cart"]}"""u8).Single();
        Assert.That(type, Is.EqualTo(new ActorTypeSettings("Cart", App, TimeSpan.FromMinutes(60), false, 32)));
    }

    [Test]
    public void An_app_without_actors_hosts_no_types()
    {
        Assert.That(AppConfigParser.Parse(App, "{}"u8), Is.Empty);
    }
}
