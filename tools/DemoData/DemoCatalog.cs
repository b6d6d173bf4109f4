namespace Personalization.DemoData;

/// <summary>A small made-up gift shop, enough for browsing, carts and orders to look plausible.</summary>
public static class DemoCatalog
{
    public sealed record Product(string Id, string Name, string Category, decimal Price);

    public static readonly IReadOnlyList<Product> Products =
    [
        new("sku-100", "Ceramic Tea Mug", "Kitchen/Mugs", 6.50m),
        new("sku-101", "Enamel Camping Mug", "Kitchen/Mugs", 8.00m),
        new("sku-200", "Linen Tea Towel", "Kitchen/Textiles", 5.25m),
        new("sku-201", "Oven Glove", "Kitchen/Textiles", 7.95m),
        new("sku-300", "Paper Lantern", "Home/Lighting", 12.00m),
        new("sku-301", "String Lights", "Home/Lighting", 15.50m),
        new("sku-400", "Notebook A5", "Stationery/Paper", 4.20m),
        new("sku-401", "Brass Pen", "Stationery/Writing", 18.00m),
        new("sku-500", "Jigsaw 1000", "Toys/Puzzles", 14.99m),
        new("sku-501", "Wooden Yo-yo", "Toys/Classic", 3.75m),
    ];
}
