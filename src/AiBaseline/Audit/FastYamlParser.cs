using System.Buffers;
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
/// What it reads: block mappings and sequences (a sequence may stand at the indentation of its key, and an item may
/// be a compact mapping <c>- key: value</c>), plain scalars on one or more lines, single- and double-quoted scalars
/// (with escapes; on more than one line as values), literal and folded block scalars (<c>|</c>, <c>&gt;</c>, with
/// chomping and indentation indicators), flow sequences and mappings on one line (<c>[]</c>, <c>{}</c>,
/// <c>[a, "b"]</c>, <c>{a: [1]}</c>, <c>[{a: 1}]</c>; keys are scalars), comments, <c>---</c>, blank lines and CRLF
/// line ends. Anything else (anchors, aliases, tags, directives, <c>...</c>, complex keys, tabs outside comments,
/// quoted and block scalars, flow collections and quoted keys over more lines, indentation that does not line up) and
/// anything that could be a syntax error makes it give up before it has given the event in doubt:
/// <see cref="TryLoadEach"/> then answers false and the caller parses the text with YamlDotNet, which reports any error
/// exactly as it always did.
/// </para>
/// </summary>
public sealed partial class FastYamlParser : IParser
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

    /// <summary>A parser over <paramref name="text"/>; it gives up (see <see cref="TryLoadEach"/>) on what it does not read.</summary>
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
    /// Loads <paramref name="text"/> one document at a time, each into a YAML stream of its own that is handed to
    /// <paramref name="each"/> and can be dropped as soon as it is read, so a large text's YAML is never held whole;
    /// false when the parser gives up or a stream refuses what it read (what was handed until then is to be thrown away,
    /// and the text parsed with YamlDotNet).
    /// </summary>
    public static bool TryLoadEach(string text, Action<YamlDocument> each)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(each);
        if (!Readable(text))
        {
            return false;
        }

        var parser = new FastYamlParser(text);
        try
        {
            if (!parser.MoveNext() || parser.Current is not StreamStart || !parser.MoveNext())
            {
                return false;
            }

            while (parser.Current is DocumentStart)
            {
                var one = new YamlStream();
                one.Load(new OneDocument(parser));
                each(one.Documents[0]);
            }

            return parser.Current is StreamEnd;
        }
        catch (GiveUpException)
        {
            return false;
        }
        catch (YamlException)
        {
            return false;
        }
    }

    /// <summary>
    /// The events of the document the parser stands at, from its DocumentStart to its DocumentEnd, as a stream of one
    /// document; the parser is left at the event after the DocumentEnd.
    /// </summary>
    private sealed class OneDocument(FastYamlParser parser) : IParser
    {
        private int state;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            switch (state)
            {
                case 0:
                    Current = new StreamStart();
                    state = 1;
                    return true;
                case 1:
                    Current = parser.Current;
                    if (Current is DocumentEnd)
                    {
                        state = 2;
                    }

                    parser.MoveNext();
                    return true;
                case 2:
                    Current = new StreamEnd();
                    state = 3;
                    return true;
                default:
                    Current = null;
                    return false;
            }
        }
    }

    // Text with a character the parser never reads, or a line break of its own, is left to YamlDotNet whole.
    private static bool Readable(string text) => text.AsSpan().IndexOfAny(Unsupported) < 0 && !HasLoneCarriageReturn(text);

    /// <summary>Hands every event of <paramref name="text"/> in order to <paramref name="each"/>; false when the parser gives up on it (the events handed until then are to be thrown away).</summary>
    public static bool TryParse(string text, Action<ParsingEvent> each)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(each);
        if (!Readable(text))
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

    // A block mapping whose keys stand at `column`, from its first key; ends at the first token left of it.
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

    // A key and its ": " (a plain or quoted scalar on one line, no longer than a simple key may be).
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

    // A block sequence whose "-" stand at `column`; an indentless one (at its key's indentation) ends at the next key too.
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

    /// <summary>What the parser does not read, or might read otherwise than YamlDotNet.</summary>
    private sealed class GiveUpException : Exception
    {
    }
}
