using Personalization.Triggers.Feedback;

namespace Personalization.Triggers.Tests.Feedback;

public class LinkTrackingTests
{
    private static string Click(string url) => $"https://t.example/c/{Uri.EscapeDataString(url)}";

    [Test]
    public void Every_web_link_goes_through_the_redirect_with_its_target_decoded_and_the_pixel_ends_the_body()
    {
        const string html = """<html><body><a href="https://shop.example/cart?id=1&amp;from=email">Cart</a> <a href='http://shop.example/a'>A</a> <a href="mailto:help@shop.example">Help</a></body></html>""";
        var tracked = LinkTracking.Rewrite(html, Click, "https://t.example/o/token");
        Assert.That(tracked, Does.Contain($"href=\"{Click("https://shop.example/cart?id=1&from=email")}\""), "the target as the browser would follow it");
        Assert.That(tracked, Does.Contain($"href=\"{Click("http://shop.example/a")}\""));
        Assert.That(tracked, Does.Contain("href=\"mailto:help@shop.example\""), "only web links are tracked");
        Assert.That(tracked, Does.EndWith("<img src=\"https://t.example/o/token\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\"></body></html>"));
    }

    [Test]
    public void A_fragment_without_a_body_gets_the_pixel_at_its_end()
    {
        Assert.That(LinkTracking.Rewrite("<p>Hi</p>", Click, "https://t.example/o/x"), Does.StartWith("<p>Hi</p><img src=\"https://t.example/o/x\""));
    }
}

public class RecommendedItemLinkTests
{
    private static readonly string[] Items = ["book-1", "book 2", "book-3"];

    [TestCase("https://shop.example/p/book-3?ref=r1", "book-3", 3)]
    [TestCase("https://shop.example/product?id=book-1&ref=r1", "book-1", 1)]
    [TestCase("https://shop.example/p/book%202", "book 2", 2)]
    public void A_link_that_names_a_recommended_item_is_a_click_on_it_at_its_position(string url, string item, int position)
    {
        Assert.That(TrackedLink.RecommendedItemOf(url, Items), Is.EqualTo((item, position)));
    }

    [TestCase("https://shop.example/account")]
    [TestCase("https://shop.example/p/book-10")]
    [TestCase("not a url")]
    public void Any_other_link_is_not(string url)
    {
        Assert.That(TrackedLink.RecommendedItemOf(url, Items), Is.Null);
        Assert.That(TrackedLink.RecommendedItemOf("https://shop.example/p/book-1", []), Is.Null, "a message without recommendations");
    }
}
