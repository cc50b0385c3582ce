using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AiBaseline.Audit;

// The flow collections, on one line: [a, "b"], {a: 1}, nested.
public sealed partial class FastYamlParser
{
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
}
