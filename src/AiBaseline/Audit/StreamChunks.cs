namespace AiBaseline.Audit;

/// <summary>A part of a file that holds whole YAML documents: its first character, its length and the lines before it.</summary>
public readonly record struct TextChunk(int Start, int Length, int LinesBefore);

/// <summary>
/// Cuts a large YAML stream into parts of whole documents, so they can be parsed side by side. A part starts only at a
/// line that begins with <c>---</c> followed by a space, a tab or the end of the line: YAML starts a document there
/// wherever it stands (a block scalar's content is indented by at least one space, a flow collection or quoted scalar
/// cut there is a syntax error, which the audit then reports from the whole file). A stream that holds what could make
/// a part read differently alone is not cut: a directive (<c>%YAML</c>, <c>%TAG</c>, which applies to the documents
/// after it) or a line break other than <c>\n</c> and <c>\r\n</c>.
/// </summary>
public static class StreamChunks
{
    /// <summary>The size in characters a part grows to before it is cut at the next document start.</summary>
    public const int DefaultSize = 1 << 16;

    /// <summary>The parts of <paramref name="text"/>, each about <paramref name="size"/> characters or one document; the whole text as one part when it is small or must not be cut.</summary>
    public static List<TextChunk> Of(string text, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<TextChunk> whole = [new(0, text.Length, 0)];
        if (text.Length <= size || text.AsSpan().IndexOfAny('\u0085', '\u2028', '\u2029') >= 0 || HasLoneCarriageReturn(text))
        {
            return whole;
        }

        var chunks = new List<TextChunk>();
        var (start, startLine) = (0, 0);
        var (at, line) = (0, 0);
        while (at < text.Length)
        {
            if (text[at] == '%')
            {
                return whole;
            }

            if (at - start >= size && IsDocumentStart(text, at))
            {
                chunks.Add(new TextChunk(start, at - start, startLine));
                (start, startLine) = (at, line);
            }

            var end = text.IndexOf('\n', at);
            if (end < 0)
            {
                break;
            }

            (at, line) = (end + 1, line + 1);
        }

        chunks.Add(new TextChunk(start, text.Length - start, startLine));
        return chunks;
    }

    private static bool IsDocumentStart(string text, int at) =>
        text.AsSpan(at).StartsWith("---", StringComparison.Ordinal)
        && (at + 3 == text.Length || text[at + 3] is ' ' or '\t' or '\r' or '\n');

    private static bool HasLoneCarriageReturn(string text)
    {
        for (var at = text.IndexOf('\r'); at >= 0; at = text.IndexOf('\r', at + 1))
        {
            if (at + 1 == text.Length || text[at + 1] != '\n')
            {
                return true;
            }
        }

        return false;
    }
}
