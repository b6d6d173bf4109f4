using System.Text.Json;
using Personalization.DaprSidecar.State;

namespace Personalization.DaprSidecar.Tests.Unit;

public class StateTransactionParserTests
{
    [Test]
    public void Reads_upserts_with_raw_json_values_and_deletes_in_order()
    {
        var body = """[{"operation":"upsert","request":{"key":"a","value":{"n":1,"s":"x"}}},{"operation":"delete","request":{"key":"b"}}]"""u8.ToArray();
        var operations = StateTransactionParser.Parse(body);
        Assert.That(operations, Is.EqualTo(new[] { new StateOperation("a", """{"n":1,"s":"x"}"""), new StateOperation("b", null) }));
    }

    [Test]
    public void State_ttl_is_refused_naming_the_feature()
    {
        var body = """[{"operation":"upsert","request":{"key":"a","value":1,"metadata":{"ttlInSeconds":"60"}}}]"""u8.ToArray();
        Assert.That(() => StateTransactionParser.Parse(body),
            Throws.TypeOf<InvalidOperationException>().With.Message.Contains("ttlInSeconds").And.Message.Contains("ActorStateTTL"));
    }

    [TestCase("""[{"operation":"merge","request":{"key":"a"}}]""", "not supported")]
    [TestCase("""[{"operation":"upsert","request":{"value":1}}]""", "missing key")]
    [TestCase("""[{"request":{"key":"a"}}]""", "operation is empty")]
    public void Invalid_operations_are_refused(string body, string reason) =>
        Assert.That(() => StateTransactionParser.Parse(System.Text.Encoding.UTF8.GetBytes(body)),
            Throws.TypeOf<InvalidOperationException>().With.Message.Contains(reason));

    [Test]
    public void A_body_that_is_not_an_array_is_malformed()
    {
        Assert.That(() => StateTransactionParser.Parse("""{"operation":"upsert"}"""u8), Throws.InstanceOf<JsonException>());
    }
}
