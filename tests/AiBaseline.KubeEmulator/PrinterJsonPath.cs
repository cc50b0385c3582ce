using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// The JSONPath subset CRD printer columns use: <c>.a.b</c>, <c>['a.b']</c>, <c>[n]</c> (negative from the end),
/// <c>[*]</c> and filters <c>[?(@.f.g=="v")]</c> / <c>!=</c> against a string, number or boolean. Missing keys and
/// out-of-range indexes yield no result, as the API server evaluates columns with missing keys allowed.
/// </summary>
internal sealed class PrinterJsonPath
{
    private readonly ImmutableArray<Step> _steps;

    private PrinterJsonPath(string text, ImmutableArray<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The path as written in the CRD.</summary>
    public string Text { get; }

    /// <summary>Parses a column path; throws <see cref="FormatException"/> naming the offending position.</summary>
    public static PrinterJsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text, text.StartsWith('$') ? 1 : 0);
        var steps = ImmutableArray.CreateBuilder<Step>();
        while (!reader.AtEnd)
        {
            steps.Add(reader.Next());
        }

        return steps.Count > 0 ? new PrinterJsonPath(text, steps.ToImmutable()) : throw new FormatException($"JSONPath \"{text}\" selects nothing");
    }

    /// <summary>Every value the path selects in <paramref name="root"/>, in document order; JSON null values included.</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        IReadOnlyList<JsonNode?> current = [root];
        foreach (var step in _steps)
        {
            current = [.. current.SelectMany(step.Apply)];
        }

        return current;
    }

    private abstract record Step
    {
        public abstract IEnumerable<JsonNode?> Apply(JsonNode? node);
    }

    private sealed record Field(string Name) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
            node is JsonObject obj && obj.TryGetPropertyValue(Name, out var value) ? [value] : [];
    }

    private sealed record Index(int Position) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray array)
            {
                return [];
            }

            var at = Position < 0 ? array.Count + Position : Position;
            return at >= 0 && at < array.Count ? [array[at]] : [];
        }
    }

    private sealed record Wildcard : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) => node switch
        {
            JsonArray array => array,
            JsonObject obj => obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value),
            _ => [],
        };
    }

    private sealed record Filter(PrinterJsonPath Left, bool Equal, JsonNode? Right) : Step
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
            node is JsonArray array ? array.Where(item => Left.Evaluate(item) is [var first, ..] && Same(first, Right) == Equal) : [];

        private static bool Same(JsonNode? left, JsonNode? right)
        {
            if (left is not JsonValue value || right is not JsonValue literal)
            {
                return left is null && right is null;
            }

            return (value.GetValueKind(), literal.GetValueKind()) switch
            {
                (JsonValueKind.String, JsonValueKind.String) => value.GetValue<string>() == literal.GetValue<string>(),
                (JsonValueKind.Number, JsonValueKind.Number) => Number(value) == Number(literal),
                (JsonValueKind.True or JsonValueKind.False, var kind) => value.GetValueKind() == kind,
                _ => false,
            };
        }

        private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private sealed class Reader(string text, int position)
    {
        private int _at = position;

        public bool AtEnd => _at >= text.Length;

        public Step Next()
        {
            if (Peek('.'))
            {
                _at++;
                return new Field(Identifier());
            }

            Expect('[');
            Step step;
            if (Peek('*'))
            {
                _at++;
                step = new Wildcard();
            }
            else if (Peek('\'') || Peek('"'))
            {
                step = new Field(Quoted());
            }
            else if (Peek('?'))
            {
                step = FilterStep();
            }
            else
            {
                var start = _at;
                while (!AtEnd && (char.IsAsciiDigit(text[_at]) || text[_at] == '-'))
                {
                    _at++;
                }

                step = int.TryParse(text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index)
                    ? new Index(index)
                    : throw Error("an index, '*', a quoted name or a filter");
            }

            Expect(']');
            return step;
        }

        private Filter FilterStep()
        {
            Expect('?');
            Expect('(');
            Expect('@');
            var start = _at;
            while (!AtEnd && (text[_at] == '.' || text[_at] == '[' || char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '-' or ']'))
            {
                _at++;
            }

            var left = Parse(text[start.._at]);
            SkipSpaces();
            bool equal;
            if (text.AsSpan(_at).StartsWith("=="))
            {
                equal = true;
            }
            else if (text.AsSpan(_at).StartsWith("!="))
            {
                equal = false;
            }
            else
            {
                throw Error("'==' or '!='");
            }

            _at += 2;
            SkipSpaces();
            var right = Peek('\'') || Peek('"') ? JsonValue.Create(Quoted()) : Literal();
            SkipSpaces();
            Expect(')');
            return new Filter(left, equal, right);
        }

        private JsonNode? Literal()
        {
            var start = _at;
            while (!AtEnd && text[_at] != ')' && text[_at] != ' ')
            {
                _at++;
            }

            try
            {
                return JsonNode.Parse(text[start.._at]);
            }
            catch (JsonException)
            {
                throw Error("a quoted string, a number, true, false or null", start);
            }
        }

        private string Identifier()
        {
            var start = _at;
            while (!AtEnd && text[_at] != '.' && text[_at] != '[')
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error("a field name", start);
        }

        private string Quoted()
        {
            var quote = text[_at++];
            var value = new StringBuilder();
            while (!AtEnd && text[_at] != quote)
            {
                value.Append(text[_at] == '\\' && _at + 1 < text.Length ? text[++_at] : text[_at]);
                _at++;
            }

            Expect(quote);
            return value.ToString();
        }

        private void SkipSpaces()
        {
            while (!AtEnd && text[_at] == ' ')
            {
                _at++;
            }
        }

        private bool Peek(char c) => !AtEnd && text[_at] == c;

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw Error($"'{c}'");
            }

            _at++;
        }

        private FormatException Error(string expected, int? at = null) =>
            new($"JSONPath \"{text}\": expected {expected} at position {at ?? _at}");
    }
}
