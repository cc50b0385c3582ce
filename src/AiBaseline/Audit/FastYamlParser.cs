using System.Buffers;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using TagDirective = YamlDotNet.Core.Tokens.TagDirective;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Audit;

/// <summary>
/// A YAML parser for the part of YAML that Kubernetes manifests use, reading a string directly: it gives the parsing
/// events YamlDotNet's <see cref="Parser"/> gives for the same text (types, values, styles, implicit flags, no anchors
/// or tags, and the same <see cref="ParsingEvent.Start"/> marks), so a <see cref="YamlStream"/> built from it holds the
/// same nodes with the same lines. The <see cref="ParsingEvent.End"/> mark of every event is its Start mark: nothing
/// in the audit reads End marks.
/// <para>
/// What it reads: block mappings and sequences (a sequence may stand at the indentation of its key, and an item may be a
/// compact mapping <c>- key: value</c>), plain scalars on one or more lines, single- and double-quoted scalars (with
/// escapes; on more than one line as values), literal and folded block scalars (<c>|</c>, <c>&gt;</c>, with chomping and indentation
/// indicators), flow sequences and mappings on one line (<c>[]</c>, <c>{}</c>, <c>[a, "b"]</c>, <c>{a: [1]}</c>,
/// <c>[{a: 1}]</c>; keys are scalars), comments, <c>---</c>, blank lines and CRLF line ends. Anything else (anchors, aliases, tags,
/// directives, <c>...</c>, complex keys, tabs outside comments, quoted and block scalars, multi-line flow collections and
/// quoted keys, indentation that does not line up) and anything that could be a syntax error makes it give up
/// before it has given the event in doubt: <see cref="TryLoad"/> then answers false and the caller parses the text with
/// YamlDotNet, which reports any error exactly as it always did.
/// </para>
/// </summary>
public sealed class FastYamlParser : IParser
{
    private static readonly SearchValues<char> Unsupported = SearchValues.Create("\0\u0085\u2028\u2029\uFEFF");
    private static readonly SearchValues<char> LineEnds = SearchValues.Create("\r\n");
    private static readonly SearchValues<char> PlainStops = SearchValues.Create(" \r\n\t:");

    private readonly string text;
    private readonly List<ParsingEvent> events = new(256);
    private int next;
    private Stage stage;
    private int pos;
    private int line = 1;
    private int lineStart;

    /// <summary>A parser over <paramref name="text"/>; it gives up (see <see cref="TryLoad"/>) on what it does not read.</summary>
    public FastYamlParser(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        this.text = text;
    }

    private enum Stage
    {
        StreamStart,
        Documents,
        Done,
    }

    /// <inheritdoc/>
    public ParsingEvent? Current { get; private set; }

    /// <summary>
    /// Loads <paramref name="text"/> into a new YAML stream with this parser; false, and no stream, when the parser gives
    /// up or the stream refuses what it read (for example a repeated key): the caller then parses the text with YamlDotNet.
    /// </summary>
    public static bool TryLoad(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out YamlStream? stream)
    {
        stream = null;
        if (text.AsSpan().IndexOfAny(Unsupported) >= 0 || HasLoneCarriageReturn(text))
        {
            return false;
        }

        var loaded = new YamlStream();
        try
        {
            loaded.Load(new FastYamlParser(text));
        }
        catch (GiveUpException)
        {
            return false;
        }
        catch (YamlException)
        {
            return false;
        }

        stream = loaded;
        return true;
    }

    /// <summary>Hands every event of <paramref name="text"/> in order to <paramref name="each"/>; false when the parser gives up on it (the events handed until then are to be thrown away).</summary>
    public static bool TryParse(string text, Action<ParsingEvent> each)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(each);
        if (text.AsSpan().IndexOfAny(Unsupported) >= 0 || HasLoneCarriageReturn(text))
        {
            return false;
        }

        var parser = new FastYamlParser(text);
        try
        {
            while (parser.MoveNext())
            {
                each(parser.Current!);
            }
        }
        catch (GiveUpException)
        {
            return false;
        }

        return true;
    }

    /// <inheritdoc/>
    public bool MoveNext()
    {
        if (next == events.Count)
        {
            events.Clear();
            next = 0;
            Fill();
            if (events.Count == 0)
            {
                Current = null;
                return false;
            }
        }

        Current = events[next++];
        return true;
    }

    private static bool HasLoneCarriageReturn(string text)
    {
        for (var at = text.IndexOf('\r', StringComparison.Ordinal); at >= 0; at = text.IndexOf('\r', at + 1))
        {
            if (at + 1 == text.Length || text[at + 1] != '\n')
            {
                return true;
            }
        }

        return false;
    }

    // One step: the stream's start, one whole document, or the stream's end.
    private void Fill()
    {
        switch (stage)
        {
            case Stage.StreamStart:
                events.Add(new StreamStart(Here(), Here()));
                SkipToNextToken();
                stage = Stage.Documents;
                return;
            case Stage.Documents:
                Document();
                return;
            default:
                return;
        }
    }

    private void Document()
    {
        if (pos >= text.Length)
        {
            var end = CloseMark(-1);
            events.Add(new StreamEnd(end, end));
            stage = Stage.Done;
            return;
        }

        if (IsDocumentEnd())
        {
            throw new GiveUpException();
        }

        if (IsDocumentStart())
        {
            var start = Here();
            pos += 3;
            var startLine = line;
            events.Add(new DocumentStart(null, DefaultTags(), false, start, start));
            SkipToNextToken();
            if (pos < text.Length && line == startLine)
            {
                throw new GiveUpException(); // content on the --- line
            }

            if (pos >= text.Length || IsDocumentStart())
            {
                // YamlDotNet marks an empty document where its scanner stands: past the next "---", or one character
                // past the end of the text.
                var streamEnd = CloseMark(-1);
                var empty = pos >= text.Length ? new Mark(streamEnd.Index + 1, streamEnd.Line, streamEnd.Column + 1) : new Mark(pos + 3, line, 4);
                events.Add(EmptyScalar(empty));
            }
            else
            {
                Root();
            }
        }
        else
        {
            // Only the first document can start without "---": after a document, the parser wants "---" or the end.
            var start = Here();
            events.Add(new DocumentStart(null, DefaultTags(), true, start, start));
            Root();
        }

        if (pos < text.Length && !IsDocumentStart())
        {
            throw new GiveUpException();
        }

        var documentEnd = pos >= text.Length ? CloseMark(-1) : Here();
        events.Add(new DocumentEnd(true, documentEnd, documentEnd));
    }

    private void Root()
    {
        var c = text[pos];
        if (c is '[' or '{' or '|' or '>' or '"' or '\'' || (IsPlainStart(pos) && !EndsAtColon(pos)))
        {
            throw new GiveUpException(); // a document that is a scalar or a flow collection
        }

        Node(-1);
    }

    private static TagDirectiveCollection DefaultTags() =>
        [new TagDirective("!", "!"), new TagDirective("!!", "tag:yaml.org,2002:")];

    private static Scalar EmptyScalar(Mark at) => new(AnchorName.Empty, TagName.Empty, string.Empty, ScalarStyle.Plain, true, false, at, at);

    private Mark Here() => new(pos, line, pos - lineStart + 1);

    private int Column => pos - lineStart;

    // The mark of the end of a collection at `indent` found at the next token, or at the end of the text: there a
    // collection deeper than the last line's end closes on that line, the others on the line after it.
    private Mark CloseMark(int indent) =>
        pos >= text.Length && Column > 0 && indent <= Column ? new Mark(pos, line + 1, 1) : Here();

    private bool IsDocumentStart() => Column == 0 && IsIndicator('-');

    private bool IsDocumentEnd() => Column == 0 && IsIndicator('.');

    private bool IsIndicator(char c) =>
        pos + 2 < text.Length && text[pos] == c && text[pos + 1] == c && text[pos + 2] == c && IsBlankOrEnd(pos + 3);

    // A space, a line end or the end of the text; a tab, which YAML reads in ways we leave to YamlDotNet, gives up.
    private bool IsBlankOrEnd(int at)
    {
        if (at >= text.Length)
        {
            return true;
        }

        var c = text[at];
        return c == '\t' ? throw new GiveUpException() : c is ' ' or '\n' or '\r';
    }

    private static bool IsBreak(char c) => c is '\n' or '\r';

    private void NewLine()
    {
        pos += text[pos] == '\r' ? 2 : 1;
        line++;
        lineStart = pos;
    }

    // Skips spaces, comments and line ends up to the next token or the end of the text.
    private void SkipToNextToken()
    {
        while (true)
        {
            while (pos < text.Length && text[pos] == ' ')
            {
                pos++;
            }

            if (pos >= text.Length)
            {
                return;
            }

            var c = text[pos];
            if (c == '#')
            {
                if (pos > lineStart && text[pos - 1] != ' ')
                {
                    throw new GiveUpException(); // a comment that touches the token before it
                }

                var end = text.AsSpan(pos).IndexOfAny(LineEnds);
                if (end < 0)
                {
                    pos = text.Length;
                    return;
                }

                pos += end;
                c = text[pos];
            }

            if (IsBreak(c))
            {
                NewLine();
                continue;
            }

            if (c == '\t')
            {
                throw new GiveUpException();
            }

            return;
        }
    }

    // A node that starts a line or follows "- ": any node. The scanner's indentation is `indent`.
    private void Node(int indent)
    {
        var c = text[pos];
        if (c == '-' && IsBlankOrEnd(pos + 1))
        {
            Sequence(Column, indentless: false);
        }
        else if (c is '"' or '\'' ? QuotedIsKey() : IsPlainStart(pos) && EndsAtColon(pos))
        {
            Mapping(Column);
        }
        else
        {
            Value(indent);
        }
    }

    // A node after "key: " on the key's line, or that is not a collection: a scalar or a flow collection.
    private void Value(int indent)
    {
        var c = text[pos];
        switch (c)
        {
            case '|' or '>':
                BlockScalar(indent);
                SkipToNextToken();
                return;
            case '"' or '\'':
                events.Add(Quoted(isKey: false, indent, multiLine: true));
                break;
            case '[':
                FlowSequence();
                break;
            case '{':
                FlowMapping();
                break;
            default:
                if (!IsPlainStart(pos))
                {
                    throw new GiveUpException();
                }

                PlainValue(indent + 1);
                break;
        }

        var endLine = line;
        SkipToNextToken();
        if (pos < text.Length && line == endLine)
        {
            throw new GiveUpException(); // more after the value on its last line, such as a second ": "
        }
    }

    private void Mapping(int column)
    {
        var start = Here();
        events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block, start, start));
        while (true)
        {
            Key();
            var valueEnd = Here();
            var keyLine = line;
            SkipToNextToken();
            if (pos >= text.Length || (line != keyLine && (Column < column || IsDocumentStart() || IsDocumentEnd())))
            {
                events.Add(EmptyScalar(valueEnd));
            }
            else if (line != keyLine && Column == column)
            {
                if (text[pos] == '-' && IsBlankOrEnd(pos + 1))
                {
                    Sequence(column, indentless: true);
                }
                else
                {
                    events.Add(EmptyScalar(valueEnd));
                }
            }
            else if (line != keyLine)
            {
                Node(column);
            }
            else
            {
                if (text[pos] == '-' && IsBlankOrEnd(pos + 1))
                {
                    throw new GiveUpException();
                }

                Value(column);
            }

            if (pos >= text.Length || IsDocumentStart() || IsDocumentEnd())
            {
                var end = CloseMark(column);
                events.Add(new MappingEnd(end, end));
                return;
            }

            if (Column < column)
            {
                var end = Here();
                events.Add(new MappingEnd(end, end));
                return;
            }

            if (Column > column)
            {
                throw new GiveUpException();
            }
        }
    }

    private void Key()
    {
        var c = text[pos];
        if (c is '"' or '\'')
        {
            var key = Quoted(isKey: true);
            while (pos < text.Length && text[pos] == ' ')
            {
                pos++;
            }

            if (pos >= text.Length || text[pos] != ':' || !IsBlankOrEnd(pos + 1))
            {
                throw new GiveUpException();
            }

            events.Add(key);
            pos++;
            return;
        }

        if (!IsPlainStart(pos))
        {
            throw new GiveUpException();
        }

        var start = Here();
        var (end, stop, colon) = PlainLine(pos, flow: false);
        if (!colon || stop - pos > 1000)
        {
            throw new GiveUpException(); // not a key, or longer than a simple key may be
        }

        events.Add(new Scalar(AnchorName.Empty, TagName.Empty, text[pos..end], ScalarStyle.Plain, true, false, start, start, true));
        pos = stop + 1;
    }

    private void Sequence(int column, bool indentless)
    {
        var start = Here();
        events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block, start, start));
        while (true)
        {
            pos++; // the "-"
            var entryEnd = Here();
            var entryLine = line;
            SkipToNextToken();
            if (pos >= text.Length || IsDocumentStart() || IsDocumentEnd() || (line != entryLine && Column <= column))
            {
                events.Add(EmptyScalar(entryEnd));
            }
            else
            {
                Node(column);
            }

            if (pos >= text.Length || IsDocumentStart() || IsDocumentEnd())
            {
                var end = CloseMark(column);
                events.Add(new SequenceEnd(end, end));
                return;
            }

            if (Column == column && text[pos] == '-' && IsBlankOrEnd(pos + 1))
            {
                continue;
            }

            if (Column < column || (indentless && Column == column))
            {
                var end = Here();
                events.Add(new SequenceEnd(end, end));
                return;
            }

            throw new GiveUpException();
        }
    }

    // Whether a plain scalar may start here in the block context (a stricter rule than YAML's).
    private bool IsPlainStart(int at)
    {
        var c = text[at];
        if (c == '-')
        {
            return at + 1 < text.Length && text[at + 1] is not (' ' or '\t' or '\r' or '\n');
        }

        return c is not (' ' or '\t' or '\r' or '\n' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`');
    }

    // Whether the plain scalar that starts here ends on its line at ": ", that is, is a key.
    private bool EndsAtColon(int at) => PlainLine(at, flow: false).Colon;

    /// <summary>
    /// Scans the rest of one line of a plain scalar from <paramref name="at"/>: the end of its last non-blank character,
    /// where it stopped (a ": ", a " #", a line end or the end of the text; in a flow collection also , [ ] { }), and
    /// whether it stopped at ": ".
    /// </summary>
    private (int End, int Stop, bool Colon) PlainLine(int at, bool flow)
    {
        var end = at;
        var i = at;
        while (true)
        {
            var c = text[i];
            if (c == '*')
            {
                throw new GiveUpException(); // YamlDotNet reads ": " after a "*" differently
            }

            if (c == '#')
            {
                if (flow)
                {
                    throw new GiveUpException();
                }

                return (end, i, false);
            }

            while (i < text.Length)
            {
                if (!flow)
                {
                    // Outside flow collections only a blank and ": " end a run of characters.
                    var skip = text.AsSpan(i).IndexOfAny(PlainStops);
                    if (skip < 0)
                    {
                        i = end = text.Length;
                        break;
                    }

                    if (skip > 0)
                    {
                        i += skip;
                        end = i;
                    }
                }

                c = text[i];
                if (c is ' ' or '\n' or '\r')
                {
                    break;
                }

                if (c == '\t')
                {
                    throw new GiveUpException();
                }

                if (c == ':')
                {
                    var after = i + 1 < text.Length ? text[i + 1] : '\0';
                    if (after == '\t')
                    {
                        throw new GiveUpException();
                    }

                    if (after is ' ' or '\n' or '\r' or '\0')
                    {
                        return (end, i, true);
                    }

                    if (flow && after is ',' or '[' or ']' or '{' or '}')
                    {
                        throw new GiveUpException();
                    }
                }

                if (flow && c is ',' or '[' or ']' or '{' or '}')
                {
                    return (end, i, false);
                }

                i++;
                end = i;
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || IsBreak(text[i]))
            {
                return (end, i, false);
            }

            if (text[i] == '\t')
            {
                throw new GiveUpException();
            }
        }
    }

    // A plain scalar that is a value, on one line or more; lines that go on it are indented at least `minIndent`.
    private void PlainValue(int minIndent)
    {
        var start = Here();
        var first = pos;
        var (end, stop, colon) = PlainLine(pos, flow: false);
        if (colon)
        {
            throw new GiveUpException(); // a ": " in a value
        }

        StringBuilder? folded = null;
        while (stop < text.Length && IsBreak(text[stop]))
        {
            // Is the next non-blank line a continuation?
            var j = stop;
            var breaks = 0;
            var nextLine = line;
            var nextLineStart = lineStart;
            while (true)
            {
                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }

                if (j < text.Length && IsBreak(text[j]))
                {
                    j += text[j] == '\r' ? 2 : 1;
                    breaks++;
                    nextLine++;
                    nextLineStart = j;
                    continue;
                }

                break;
            }

            if (j >= text.Length || j - nextLineStart < minIndent || text[j] == '#')
            {
                break;
            }

            if (text[j] == '\t')
            {
                throw new GiveUpException();
            }

            var (lineEnd, lineStop, lineColon) = PlainLine(j, flow: false);
            if (lineColon)
            {
                throw new GiveUpException(); // a multi-line plain scalar followed by ": "
            }

            folded ??= new StringBuilder().Append(text, first, end - first);
            if (breaks == 1)
            {
                folded.Append(' ');
            }
            else
            {
                folded.Append('\n', breaks - 1);
            }

            folded.Append(text, j, lineEnd - j);
            (line, lineStart, pos) = (nextLine, nextLineStart, j);
            stop = lineStop;
            if (stop < text.Length && text[stop] == '#')
            {
                break;
            }
        }

        var value = folded?.ToString() ?? text[first..end];
        pos = stop;
        events.Add(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, true, false, start, start));
    }

    // Whether the quoted scalar here is a key (followed by ": "), without moving.
    private bool QuotedIsKey()
    {
        var (saved, savedLine, savedLineStart) = (pos, line, lineStart);
        _ = Quoted(isKey: false, indent: -1, multiLine: true);
        var (i, oneLine) = (pos, line == savedLine);
        (pos, line, lineStart) = (saved, savedLine, savedLineStart);
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return oneLine && i < text.Length && text[i] == ':' && IsBlankOrEnd(i + 1);
    }

    /// <summary>
    /// A single- or double-quoted scalar; leaves pos after its closing quote. It may go on over more lines only when
    /// <paramref name="multiLine"/> (a value in the block context, whose lines fold as YAML says); a double-quoted one's
    /// lines are then indented more than <paramref name="indent"/>.
    /// </summary>
    private Scalar Quoted(bool isKey, int indent = -1, bool multiLine = false)
    {
        var start = Here();
        var quote = text[pos];
        var i = pos + 1;
        StringBuilder? value = null;
        var runStart = i;
        var tabs = false;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new GiveUpException();
            }

            var c = text[i];
            if (IsBreak(c))
            {
                if (!multiLine || tabs)
                {
                    throw new GiveUpException();
                }

                // The spaces before a line end are dropped, the line end and the indentation of the next line fold.
                var runEnd = i;
                while (runEnd > runStart && text[runEnd - 1] == ' ')
                {
                    runEnd--;
                }

                value ??= new StringBuilder();
                value.Append(text, runStart, runEnd - runStart);
                i = Fold(i, value, quote, indent, escaped: false);
                runStart = i;
                continue;
            }

            if (c == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value ??= new StringBuilder();
                    value.Append(text, runStart, i + 1 - runStart);
                    i += 2;
                    runStart = i;
                    continue;
                }

                break;
            }

            if (c == '\\' && quote == '"')
            {
                value ??= new StringBuilder();
                value.Append(text, runStart, i - runStart);
                if (i + 1 < text.Length && IsBreak(text[i + 1]))
                {
                    if (!multiLine || tabs)
                    {
                        throw new GiveUpException();
                    }

                    i = Fold(i + 1, value, quote, indent, escaped: true); // an escaped line end joins the lines
                }
                else
                {
                    i = Escape(i, value);
                }

                runStart = i;
                continue;
            }

            tabs |= c == '\t';
            i++;
        }

        string result;
        if (value is null)
        {
            result = text[runStart..i];
        }
        else
        {
            value.Append(text, runStart, i - runStart);
            result = value.ToString();
        }

        pos = i + 1;
        if (pos < text.Length && text[pos] == '#')
        {
            throw new GiveUpException();
        }

        var style = quote == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
        return new Scalar(AnchorName.Empty, TagName.Empty, result, style, false, true, start, start, isKey);
    }

    // The line ends (from the one at `at`) and indentation inside a quoted scalar: one line end folds into a space,
    // more into all but the first (an escaped line end: all but itself); returns the index of the next character.
    private int Fold(int at, StringBuilder value, char quote, int indent, bool escaped)
    {
        var i = at;
        var breaks = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsBreak(c))
            {
                i += c == '\r' ? 2 : 1;
                breaks++;
                line++;
                lineStart = i;
            }
            else if (c == ' ')
            {
                i++;
            }
            else if (c == '\t')
            {
                throw new GiveUpException();
            }
            else
            {
                break;
            }
        }

        var column = i - lineStart;
        if (i >= text.Length || (quote == '"' && column <= indent) || (column == 0 && IsLineIndicator(i)))
        {
            throw new GiveUpException(); // the end of the text, a line not indented enough, or --- or ... in it
        }

        if (breaks == 1 && !escaped)
        {
            value.Append(' ');
        }
        else
        {
            value.Append('\n', breaks - 1);
        }

        return i;
    }

    private bool IsLineIndicator(int at) =>
        at + 3 <= text.Length && (text.AsSpan(at, 3) is "---" or "...") && (at + 3 == text.Length || text[at + 3] is ' ' or '\t' or '\r' or '\n');

    // The escape at `at` (a backslash) appended to `value`; returns the index after it.
    private int Escape(int at, StringBuilder value)
    {
        var code = at + 1 < text.Length ? text[at + 1] : '\0';
        char? simple = code switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            't' or '\t' => '\t',
            'n' => '\n',
            'v' => '\v',
            'f' => '\f',
            'r' => '\r',
            'e' => '\x1B',
            ' ' => ' ',
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'N' => '\x85',
            '_' => '\xA0',
            'L' => '\u2028',
            'P' => '\u2029',
            _ => null,
        };
        if (simple is { } c)
        {
            value.Append(c);
            return at + 2;
        }

        var length = code switch
        {
            'x' => 2,
            'u' => 4,
            _ => throw new GiveUpException(), // \U, an escaped line end, or an unknown escape
        };
        if (at + 2 + length > text.Length
            || !int.TryParse(text.AsSpan(at + 2, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var character)
            || character is >= 0xD800 and <= 0xDFFF)
        {
            throw new GiveUpException();
        }

        value.Append((char)character);
        return at + 2 + length;
    }

    // A literal (|) or folded (>) block scalar, its header at pos; the scanner's indentation is `indent`.
    private void BlockScalar(int indent)
    {
        if (indent < 0)
        {
            throw new GiveUpException();
        }

        var start = Here();
        var literal = text[pos] == '|';
        pos++;
        var chomping = 0;
        var increment = -1;
        if (pos < text.Length && text[pos] is '+' or '-')
        {
            chomping = text[pos++] == '+' ? 1 : -1;
            if (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                increment = text[pos++] - '0';
            }
        }
        else if (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            increment = text[pos++] - '0';
            if (pos < text.Length && text[pos] is '+' or '-')
            {
                chomping = text[pos++] == '+' ? 1 : -1;
            }
        }

        if (pos >= text.Length || text[pos] == '#' || increment == 0)
        {
            throw new GiveUpException();
        }

        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }

        if (pos < text.Length && text[pos] == '#')
        {
            var end = text.AsSpan(pos).IndexOfAny(LineEnds);
            pos = end < 0 ? text.Length : pos + end;
        }

        if (pos >= text.Length || !IsBreak(text[pos]))
        {
            throw new GiveUpException();
        }

        NewLine();
        var blockIndent = increment > 0 ? indent + increment : 0;
        var trailing = 0;
        blockIndent = BlockBreaks(blockIndent, indent, ref trailing, first: true);
        var value = new StringBuilder();
        var leadingBreak = false;
        var leadingBlank = false;
        while (Column == blockIndent && pos < text.Length)
        {
            var trailingBlank = text[pos] is ' ' or '\t';
            if (!literal && leadingBreak && !leadingBlank && !trailingBlank)
            {
                if (trailing == 0)
                {
                    value.Append(' ');
                }
            }
            else if (leadingBreak)
            {
                value.Append('\n');
            }

            leadingBreak = false;
            value.Append('\n', trailing);
            trailing = 0;
            leadingBlank = trailingBlank;
            var lineEnd = text.AsSpan(pos).IndexOfAny(LineEnds);
            lineEnd = lineEnd < 0 ? text.Length : pos + lineEnd;
            value.Append(text, pos, lineEnd - pos);
            pos = lineEnd;
            if (pos < text.Length)
            {
                NewLine();
                leadingBreak = true;
            }

            blockIndent = BlockBreaks(blockIndent, indent, ref trailing, first: false);
        }

        if (chomping != -1 && leadingBreak)
        {
            value.Append('\n');
        }

        if (chomping == 1)
        {
            value.Append('\n', trailing);
        }

        var style = literal ? ScalarStyle.Literal : ScalarStyle.Folded;
        events.Add(new Scalar(AnchorName.Empty, TagName.Empty, value.ToString(), style, false, true, start, start));
    }

    // Eats the indentation and empty lines before a block scalar's next line; returns its indentation, found from the
    // first line when not yet known (0).
    private int BlockBreaks(int blockIndent, int indent, ref int trailing, bool first)
    {
        var maxIndent = 0;
        while (true)
        {
            if (first)
            {
                var k = pos;
                while (k < text.Length && text[k] == ' ')
                {
                    k++;
                }

                if (k > pos && (k >= text.Length || IsBreak(text[k])))
                {
                    throw new GiveUpException(); // a line of spaces before the first line
                }
            }

            while ((blockIndent == 0 || Column < blockIndent) && pos < text.Length && text[pos] == ' ')
            {
                pos++;
            }

            maxIndent = Math.Max(maxIndent, Column);
            if (pos >= text.Length || !IsBreak(text[pos]))
            {
                break;
            }

            trailing++;
            NewLine();
        }

        if (blockIndent == 0 && (Column > 0 || indent > -1))
        {
            blockIndent = Math.Max(maxIndent, Math.Max(indent + 1, 1));
        }

        return blockIndent;
    }

    private void FlowSequence()
    {
        var start = Here();
        events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow, start, start));
        pos++;
        SkipSpacesInFlow();
        if (text[pos] != ']')
        {
            while (true)
            {
                FlowNode();
                SkipSpacesInFlow();
                if (text[pos] == ']')
                {
                    break;
                }

                if (text[pos] != ',')
                {
                    throw new GiveUpException();
                }

                pos++;
                SkipSpacesInFlow();
            }
        }

        var end = Here();
        events.Add(new SequenceEnd(end, end));
        pos++;
    }

    private void FlowMapping()
    {
        var start = Here();
        events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow, start, start));
        pos++;
        SkipSpacesInFlow();
        if (text[pos] != '}')
        {
            while (true)
            {
                FlowScalar(isKey: true);
                if (text[pos] != ':' || pos + 1 >= text.Length || text[pos + 1] != ' ')
                {
                    throw new GiveUpException();
                }

                pos++;
                SkipSpacesInFlow();
                FlowNode();
                SkipSpacesInFlow();
                if (text[pos] == '}')
                {
                    break;
                }

                if (text[pos] != ',')
                {
                    throw new GiveUpException();
                }

                pos++;
                SkipSpacesInFlow();
            }
        }

        var end = Here();
        events.Add(new MappingEnd(end, end));
        pos++;
    }

    // A value in a flow collection: a flow collection or a scalar.
    private void FlowNode()
    {
        switch (text[pos])
        {
            case '[':
                FlowSequence();
                return;
            case '{':
                FlowMapping();
                return;
            default:
                FlowScalar(isKey: false);
                return;
        }
    }

    // Spaces inside a flow collection, which must end on its line.
    private void SkipSpacesInFlow()
    {
        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }

        if (pos >= text.Length || text[pos] is '\r' or '\n' or '\t' or '#')
        {
            throw new GiveUpException();
        }
    }

    // A scalar in a flow collection: quoted, or plain without ": " (a key stops at it).
    private void FlowScalar(bool isKey)
    {
        var c = text[pos];
        if (c is '"' or '\'')
        {
            events.Add(Quoted(isKey));
            if (isKey && (pos >= text.Length || text[pos] != ':'))
            {
                throw new GiveUpException();
            }

            return;
        }

        if (!IsPlainStart(pos) || (c == '-' && text[pos + 1] is ',' or '[' or ']' or '{' or '}'))
        {
            throw new GiveUpException();
        }

        var start = Here();
        var (end, stop, colon) = PlainLine(pos, flow: true);
        if (colon != isKey || stop >= text.Length || IsBreak(text[stop]) || text[stop] == '#')
        {
            throw new GiveUpException();
        }

        events.Add(new Scalar(AnchorName.Empty, TagName.Empty, text[pos..end], ScalarStyle.Plain, true, false, start, start, isKey));
        pos = isKey ? stop : end;
    }

    /// <summary>What the parser does not read, or might read otherwise than YamlDotNet.</summary>
    private sealed class GiveUpException : Exception
    {
    }
}
