/// <summary>
/// Rule segments of the kinds tenants write, all watching the bench's events (Product Viewed of sku-1), so each
/// costs the evaluator real work: windowed counts, totals, sequences with a deadline, traits and profile fields.
/// </summary>
public static class BenchSegments
{
    public static string Condition(int i) => (i % 5) switch
    {
        0 => $$"""{"performed": "Product Viewed", "atLeast": {{1 + i % 7}}, "within": "{{1 + i % 14}}d"}""",
        1 => $$$"""{"performed": "Product Viewed", "where": {"product_id": "sku-1"}, "atLeast": {{{2 + i % 5}}}}""",
        2 => $$"""{"performed": "Product Viewed", "notFollowedBy": "Order Completed", "within": "{{1 + i % 48}}h"}""",
        3 => $$$"""{"and": [{"profile": "sessionCount", "gte": {{{1 + i % 3}}}}, {"performed": "Product Viewed", "atMost": {{{10 + i}}}, "within": "30d"}]}""",
        _ => $$$"""{"or": [{"trait": "plan", "equals": "pro"}, {"lastSeen": {"within": "{{{1 + i % 30}}}d"}}]}""",
    };
}
