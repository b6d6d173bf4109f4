using System.Text.Json;
using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Tests.Journeys;

public class JsonDiffTests
{
    private static IReadOnlyList<DefinitionChange> Diff(string before, string after) =>
        JsonDiff.Between(JsonDocument.Parse(before).RootElement, JsonDocument.Parse(after).RootElement);

    [Test]
    public void Steps_are_matched_by_id_so_an_inserted_step_is_one_addition()
    {
        var changes = Diff(
            """{"name": "A", "steps": [{"id": "wait", "wait": "1h"}, {"id": "email", "send": {"template": "t1"}}]}""",
            """{"name": "B", "steps": [{"id": "wait", "wait": "1h"}, {"id": "check", "exit": true}, {"id": "email", "send": {"template": "t2"}}], "holdout": 0.1}""");
        Assert.That(changes.Select(c => (c.Path, c.Change)), Is.EquivalentTo(new[]
        {
            ("$.name", JsonDiff.Changed), ("$.steps[id=check]", JsonDiff.Added), ("$.steps[id=email].send.template", JsonDiff.Changed), ("$.holdout", JsonDiff.Added),
        }));
        var template = changes.Single(c => c.Path == "$.steps[id=email].send.template");
        Assert.That((template.Before!.Value.GetString(), template.After!.Value.GetString()), Is.EqualTo(("t1", "t2")));
    }

    [Test]
    public void Other_arrays_are_compared_item_by_item_and_key_order_is_no_change()
    {
        var changes = Diff("""{"a": [1, 2, 3], "b": {"x": 1, "y": 2}}""", """{"b": {"y": 2, "x": 1}, "a": [1, 5]}""");
        Assert.That(changes.Select(c => (c.Path, c.Change)), Is.EqualTo(new[] { ("$.a[1]", JsonDiff.Changed), ("$.a[2]", JsonDiff.Removed) }));
        Assert.That(JsonDiff.Between(null, JsonDocument.Parse("{}").RootElement).Single().Change, Is.EqualTo(JsonDiff.Added), "the first version is all new");
    }
}
