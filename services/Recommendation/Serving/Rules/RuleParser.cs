namespace Personalization.Recommendation.Serving.Rules;

/// <summary>A compiled condition and the fields it reads (so a filter that reads availability decides availability itself).</summary>
public sealed record Condition(Func<ItemFacts, bool> Test, IReadOnlySet<string> Fields);

/// <summary>One boost: items the condition holds for have their score multiplied by the factor.</summary>
public sealed record Boost(Condition When, double Factor);

/// <summary>
/// Recursive descent over the rule grammar (see the service README):
/// <code>
/// condition  := or;  or := and (("||" | "or") and)*;  and := not (("&amp;&amp;" | "and") not)*
/// not        := ("!" | "not") not | "(" condition ")" | comparison
/// comparison := field ("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "contains" | "under" | "in") value
/// value      := "text" | number | true | false | "[" value ("," value)* "]"
/// boosts     := condition "by" number (";" condition "by" number)*
/// </code>
/// Each mistake is reported with the position where it was found.
/// </summary>
public sealed class RuleParser
{
    public const double MaxBoost = 100;

    private static readonly string[] Operators = ["==", "!=", "<", "<=", ">", ">=", "contains", "under", "in"];

    private readonly List<Token> _tokens;
    private readonly HashSet<string> _fields = new(StringComparer.OrdinalIgnoreCase);
    private int _next;

    private RuleParser(string text) => _tokens = RuleTokens.Read(text);

    /// <exception cref="RuleSyntaxException">The expression is not a valid condition.</exception>
    public static Condition ParseCondition(string text)
    {
        var parser = new RuleParser(text);
        var test = parser.Or();
        parser.Expect(TokenKind.End, "the end of the condition");
        return new Condition(test, parser._fields);
    }

    /// <exception cref="RuleSyntaxException">The expression is not a valid list of boosts.</exception>
    public static IReadOnlyList<Boost> ParseBoosts(string text)
    {
        var parser = new RuleParser(text);
        var boosts = new List<Boost>();
        do
        {
            var test = parser.Or();
            if (!parser.Peek.Is("by")) throw new RuleSyntaxException($"expected 'by <factor>' after the condition, found {parser.Peek.Describe()}", parser.Peek.Position);
            parser._next++;
            var factor = parser.Expect(TokenKind.Number, "a factor (a number above 0)");
            if (factor.Number is <= 0 or > MaxBoost) throw new RuleSyntaxException($"a boost factor must be above 0 and at most {MaxBoost}", factor.Position);
            boosts.Add(new Boost(new Condition(test, parser._fields.ToHashSet(StringComparer.OrdinalIgnoreCase)), factor.Number));
        } while (parser.Accept(";") && parser.Peek.Kind != TokenKind.End);
        parser.Expect(TokenKind.End, "';' or the end of the boosts");
        return boosts;
    }

    private Token Peek => _tokens[_next];

    private bool Accept(params string[] symbolsOrWords)
    {
        if (!symbolsOrWords.Any(Peek.Is) || Peek.Kind is TokenKind.Text) return false;
        _next++;
        return true;
    }

    private Token Expect(TokenKind kind, string what)
    {
        var token = Peek;
        if (token.Kind != kind) throw new RuleSyntaxException($"expected {what}, found {token.Describe()}", token.Position);
        _next++;
        return token;
    }

    private Func<ItemFacts, bool> Or()
    {
        var left = And();
        while (Accept("||", "or"))
        {
            var (a, b) = (left, And());
            left = f => a(f) || b(f);
        }
        return left;
    }

    private Func<ItemFacts, bool> And()
    {
        var left = Not();
        while (Accept("&&", "and"))
        {
            var (a, b) = (left, Not());
            left = f => a(f) && b(f);
        }
        return left;
    }

    private Func<ItemFacts, bool> Not()
    {
        if (Accept("!", "not"))
        {
            var inner = Not();
            return f => !inner(f);
        }
        if (Accept("("))
        {
            var inner = Or();
            if (!Accept(")")) throw new RuleSyntaxException($"expected ')', found {Peek.Describe()}", Peek.Position);
            return inner;
        }
        return Comparison();
    }

    private Func<ItemFacts, bool> Comparison()
    {
        var name = Expect(TokenKind.Name, "a field (" + string.Join(", ", ItemFields.All.Select(f => f.Name)) + ", attributes.<name>)");
        var field = ItemFields.Find(name.Text)
            ?? throw new RuleSyntaxException($"unknown field '{name.Text}'; the fields are {string.Join(", ", ItemFields.All.Select(f => f.Name))} and attributes.<name>", name.Position);
        _fields.Add(field.Name);
        var op = Peek;
        if (!Operators.Any(op.Is) || op.Kind == TokenKind.Text)
            throw new RuleSyntaxException($"expected an operator ({string.Join(", ", Operators)}) after '{name.Text}', found {op.Describe()}", op.Position);
        _next++;
        var opText = op.Text.ToLowerInvariant();
        var valueAt = Peek.Position;
        var value = Value(allowList: opText == "in");
        RuleTypes.Check(field, opText, value, op.Position, valueAt);
        return f => RuleTypes.Compare(field.Read(f), opText, value);
    }

    private object Value(bool allowList)
    {
        var token = Peek;
        if (token.Is("[") && token.Kind == TokenKind.Symbol)
        {
            if (!allowList) throw new RuleSyntaxException("a list of values goes only after 'in'", token.Position);
            _next++;
            var values = new List<object> { Value(false) };
            while (Accept(",")) values.Add(Value(false));
            if (!Accept("]")) throw new RuleSyntaxException($"expected ',' or ']' in the list, found {Peek.Describe()}", Peek.Position);
            return values;
        }
        _next++;
        return token.Kind switch
        {
            TokenKind.Text => token.Text,
            TokenKind.Number => token.Number,
            TokenKind.Name when token.Is("true") => true,
            TokenKind.Name when token.Is("false") => false,
            _ => throw new RuleSyntaxException($"expected a value (\"text\", a number, true or false{(allowList ? " or a [list]" : "")}), found {token.Describe()}", token.Position),
        };
    }
}
