using Personalization.DaprSidecar.Http;

namespace Personalization.DaprSidecar.Tests.Unit;

public class RequestPathsTests
{
    [TestCase("//v1.0/actors/Cart/1/method/Add", "/v1.0/actors/Cart/1/method/Add")]
    [TestCase("/v1.0//actors///Cart/1", "/v1.0/actors/Cart/1")]
    [TestCase("/v1.0/healthz", "/v1.0/healthz")]
    [TestCase("/", "/")]
    public void Runs_of_slashes_become_one(string path, string expected) =>
        Assert.That(RequestPaths.CollapseSlashes(path), Is.EqualTo(expected));
}
