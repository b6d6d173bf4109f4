using System.Globalization;

namespace Personalization.Recommendation.Serving.Rules;

/// <summary>A mistake in a filter or boost expression, with the position (0-based character index) where it was found.</summary>
public sealed class RuleSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

public enum TokenKind
{
    Name,
    Text,
    Number,
    Symbol,
    End,
}

public readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0)
{
    public bool Is(string symbolOrWord) => Kind is TokenKind.Symbol or TokenKind.Name && Text.Equals(symbolOrWord, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind == TokenKind.End ? "the end" : $"'{Text}'";
}

/// <summary>Splits an expression into names, "strings" (with \" and \\ escapes), numbers and symbols.</summary>
public static class RuleTokens
{
    private static readonly string[] Symbols = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", ",", ";"];

    public static List<Token> Read(string text)
    {
        var tokens = new List<Token>();
        var at = 0;
        while (true)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
            if (at == text.Length) break;
            var start = at;
            var c = text[at];
            if (char.IsLetter(c) || c == '_')
            {
                while (at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] is '_' or '.' or '-')) at++;
                tokens.Add(new Token(TokenKind.Name, text[start..at], start));
            }
            else if (char.IsDigit(c) || (c == '-' && at + 1 < text.Length && char.IsDigit(text[at + 1])))
            {
                at++;
                while (at < text.Length && (char.IsDigit(text[at]) || text[at] == '.')) at++;
                if (!double.TryParse(text[start..at], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    throw new RuleSyntaxException($"'{text[start..at]}' is not a number", start);
                tokens.Add(new Token(TokenKind.Number, text[start..at], start, number));
            }
            else if (c == '"')
            {
                var value = new System.Text.StringBuilder();
                at++;
                while (true)
                {
                    if (at >= text.Length) throw new RuleSyntaxException("the string that starts here is not closed with '\"'", start);
                    if (text[at] == '"') break;
                    if (text[at] == '\\' && at + 1 < text.Length) at++;
                    value.Append(text[at++]);
                }
                at++;
                tokens.Add(new Token(TokenKind.Text, value.ToString(), start));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, at, s, 0, s.Length) == 0) is { } symbol)
            {
                at += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start));
            }
            else
            {
                throw new RuleSyntaxException($"unexpected '{c}'", start);
            }
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }
}
