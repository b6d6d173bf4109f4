using System.Text.Json;
using Personalization.Contracts.Catalog;
using Personalization.Recommendation.Serving.Rules;

namespace Personalization.Recommendation.Tests.Serving;

public class RuleParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ItemFacts Item(string id = "lamp", decimal? price = 30, string[]? category = null, string[]? tags = null,
        Availability availability = Availability.InStock, string attributes = "{}", float popularity = 5) =>
        new(id, new CatalogItem($"t/{id}", "t", id, "Brass Lamp", "A warm lamp", category ?? ["Home", "Lighting"], null, price, "EUR",
            tags ?? ["sale", "brass"], availability, 3, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(attributes)!,
            Now.AddDays(-10), Now.AddDays(-1), null), popularity, Now);

    private static bool Holds(string condition, ItemFacts item) => RuleParser.ParseCondition(condition).Test(item);

    [TestCase("availability == \"in_stock\" && price <= 50 && category under \"Home\"", true)]
    [TestCase("price > 50 || tags contains \"SALE\"", true)]
    [TestCase("not (tags contains \"sale\")", false)]
    [TestCase("category under \"Home > Light\"", false, Description = "a path matches whole names, not prefixes of them")]
    [TestCase("category under \"home > lighting\"", true)]
    [TestCase("category == \"Home\"", false)]
    [TestCase("category contains \"Lighting\"", true)]
    [TestCase("title contains \"lamp\" and currency in [\"EUR\", \"GBP\"]", true)]
    [TestCase("price in [10, 30]", true)]
    [TestCase("popularity >= 5 && age_days < 11 && stock == 3", true)]
    [TestCase("deleted == false", true)]
    [TestCase("id != \"lamp\"", false)]
    [TestCase("attributes.brand == \"Lux\" && attributes.watts < 60 && attributes.dimmable == true", true)]
    [TestCase("attributes.colour == \"red\"", false, Description = "an absent attribute matches nothing")]
    [TestCase("attributes.colour != \"red\"", true)]
    public void A_condition_reads_catalog_fields_and_item_statistics(string condition, bool expected) =>
        Assert.That(Holds(condition, Item(attributes: """{"brand":"Lux","watts":40,"dimmable":true}""")), Is.EqualTo(expected));

    [Test]
    public void An_item_the_catalog_does_not_know_passes_only_inequalities()
    {
        var unknown = new ItemFacts("x", null, 0, Now);
        Assert.That((Holds("price <= 50", unknown), Holds("price != 50", unknown), Holds("id == \"x\"", unknown)), Is.EqualTo((false, true, true)));
    }

    [Test]
    public void And_binds_tighter_than_or()
    {
        var cheap = Item(price: 5, tags: []);
        Assert.That(Holds("price < 10 || tags contains \"sale\" && price > 100", cheap), Is.True);
        Assert.That(Holds("(price < 10 || tags contains \"sale\") && price > 100", cheap), Is.False);
    }

    [TestCase("price <= ", 9, "expected a value")]
    [TestCase("price <= \"cheap\"", 9, "'price' is compared with a number")]
    [TestCase("colour == \"red\"", 0, "unknown field 'colour'")]
    [TestCase("price ~ 3", 6, "unexpected '~'")]
    [TestCase("tags == \"sale\"", 5, "'tags' (the catalog tags) takes contains")]
    [TestCase("availability == \"sold_out\"", 16, "availability is one of in_stock, out_of_stock, discontinued")]
    [TestCase("(price < 3", 10, "expected ')'")]
    [TestCase("price < 3 price", 10, "expected the end of the condition")]
    [TestCase("title == \"open", 9, "not closed")]
    [TestCase("price == [1, 2]", 9, "a list of values goes only after 'in'")]
    public void A_mistake_is_reported_at_its_position(string condition, int position, string message)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.ParseCondition(condition))!;
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Position, Is.EqualTo(position));
    }

    [Test]
    public void Boosts_multiply_for_each_condition_that_holds()
    {
        var rules = new ItemRules(null, RuleParser.ParseBoosts("tags contains \"sale\" by 1.5; price < 50 by 2; price > 100 by 0.5"));
        Assert.That(rules.BoostOf(Item()), Is.EqualTo(3.0));
        Assert.That(rules.BoostOf(Item(price: 200, tags: [])), Is.EqualTo(0.5));
    }

    [TestCase("tags contains \"sale\"", 20, "expected 'by <factor>'")]
    [TestCase("tags contains \"sale\" by 0", 24, "above 0")]
    [TestCase("tags contains \"sale\" by 2 price < 3", 26, "expected ';' or the end")]
    public void A_bad_boost_is_reported_at_its_position(string boost, int position, string message)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.ParseBoosts(boost))!;
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Position, Is.EqualTo(position));
    }

    [Test]
    public void Unavailable_items_are_left_out_unless_the_filter_decides_availability()
    {
        var gone = Item(availability: Availability.OutOfStock);
        Assert.That(ItemRules.None.Admits(gone, servable: false), Is.False);
        Assert.That(new ItemRules(RuleParser.ParseCondition("price < 100"), []).Admits(gone, servable: false), Is.False);
        Assert.That(new ItemRules(RuleParser.ParseCondition("availability == \"out_of_stock\""), []).Admits(gone, servable: false), Is.True);
        Assert.That(new ItemRules(RuleParser.ParseCondition("availability == \"in_stock\""), []).Admits(gone, servable: false), Is.False);
    }
}
