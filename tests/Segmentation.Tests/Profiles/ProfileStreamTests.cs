using Personalization.Contracts;

namespace Personalization.Segmentation.Tests.Profiles;

public class ProfileStreamTests
{
    [TestCase("demo/user:ada", true)]
    [TestCase("demo/anonymous:a-1", true)]
    [TestCase("demo/user:with/slash", true)]
    [TestCase("demo/erasures", false)]
    [TestCase("user:ada", false)]
    [TestCase("/user:ada", false)]
    [TestCase("demo/users", false)]
    public void Only_people_and_visitors_have_profile_streams(string streamKey, bool isProfile) =>
        Assert.That(StreamKey.IsProfileStream(streamKey), Is.EqualTo(isProfile));

    [Test]
    public void Every_key_the_stream_key_builds_is_a_profile_stream()
    {
        Assert.That(StreamKey.IsProfileStream(StreamKey.ForUser("demo", "ada").ToString()), Is.True);
        Assert.That(StreamKey.IsProfileStream(StreamKey.For("demo", null, "a-1").ToString()), Is.True);
    }
}
