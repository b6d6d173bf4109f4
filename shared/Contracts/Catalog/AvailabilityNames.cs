namespace Personalization.Contracts.Catalog;

/// <summary>The API's names for <see cref="Availability"/>: <c>in_stock</c>, <c>out_of_stock</c>, <c>discontinued</c>.</summary>
public static class AvailabilityNames
{
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<Availability>().Select(Of).ToList();

    public static string Of(Availability availability) => availability switch
    {
        Availability.InStock => "in_stock",
        Availability.OutOfStock => "out_of_stock",
        Availability.Discontinued => "discontinued",
        _ => throw new ArgumentOutOfRangeException(nameof(availability)),
    };

    public static bool TryParse(string name, out Availability availability)
    {
        foreach (var candidate in Enum.GetValues<Availability>())
            if (Of(candidate).Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                availability = candidate;
                return true;
            }
        availability = default;
        return false;
    }
}
