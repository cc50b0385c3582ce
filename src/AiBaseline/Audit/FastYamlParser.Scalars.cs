using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AiBaseline.Audit;

// The scalars: plain (on one or more lines), single- and double-quoted, literal and folded.
public sealed partial class FastYamlParser
{
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
}
