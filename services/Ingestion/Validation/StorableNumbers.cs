using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Personalization.Ingestion.Validation;

/// <summary>
/// Finds JSON numbers that PostgreSQL cannot store. Any JSON number is valid JSON, but jsonb keeps numbers as
/// <c>numeric</c>, which holds at most 131,072 digits before the decimal point and 16,383 after it: an 11-byte
/// <c>1e200000</c> would fail the whole group commit it lands in, and every retry of it the next one.
/// </summary>
public static class StorableNumbers
{
    private const long MaxDigitsBeforePoint = 131_072;
    private const long MaxDigitsAfterPoint = 16_383;

    /// <summary>The JSON path of the first number in <paramref name="element"/> that cannot be stored, or null.</summary>
    public static string? FindUnstorable(JsonElement element) =>
        Unstorable(element) is { } segments ? "$" + string.Concat(Enumerable.Reverse(segments)) : null;

    // The path to the first unstorable number, innermost segment first; null when every number fits. Every event
    // passes through here, so nothing is allocated unless a number fails.
    private static List<string>? Unstorable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (Unstorable(property.Value) is { } inner)
                    {
                        inner.Add("." + property.Name);
                        return inner;
                    }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Unstorable(item) is { } inner)
                    {
                        inner.Add($"[{index}]");
                        return inner;
                    }
                    index++;
                }
                return null;
            case JsonValueKind.Number:
                return IsStorable(JsonMarshal.GetRawUtf8Value(element)) ? null : [];
            default:
                return null;
        }
    }

    /// <summary>Whether a JSON number literal (RFC 8259 grammar, already validated) fits PostgreSQL's numeric.</summary>
    public static bool IsStorable(ReadOnlySpan<byte> number)
    {
        // The common case: no exponent, and too short to hold more digits than either limit.
        if (number.Length <= MaxDigitsAfterPoint && number.IndexOfAny("eE"u8) < 0) return true;
        var at = number[0] == (byte)'-' ? 1 : 0;
        var integerStart = at;
        while (at < number.Length && char.IsAsciiDigit((char)number[at])) at++;
        var integer = number[integerStart..at];
        var fraction = ReadOnlySpan<byte>.Empty;
        if (at < number.Length && number[at] == (byte)'.')
        {
            var fractionStart = ++at;
            while (at < number.Length && char.IsAsciiDigit((char)number[at])) at++;
            fraction = number[fractionStart..at];
        }
        long exponent = 0;
        if (at < number.Length)
        {
            // Past the digit count PostgreSQL accepts, the exact exponent no longer matters.
            var digits = number[(at + 1)..].TrimStart("+-"u8);
            if (digits.Length > 12) return false;
            exponent = long.Parse(digits, CultureInfo.InvariantCulture);
            if (number[at + 1] == (byte)'-') exponent = -exponent;
        }

        if (fraction.Length - exponent > MaxDigitsAfterPoint) return false;
        // Where the first significant digit sits: 0 for 1.x, 2 for 123, -1 for 0.1; zero has none.
        var significant = integer.TrimStart("0"u8);
        long leading;
        if (significant.Length > 0) leading = significant.Length - 1;
        else
        {
            var zeros = fraction.Length - fraction.TrimStart("0"u8).Length;
            if (zeros == fraction.Length) return true;
            leading = -zeros - 1;
        }
        return leading + exponent < MaxDigitsBeforePoint;
    }
}
