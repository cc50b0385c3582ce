namespace AiBaseline.Audit;

/// <summary>One thing wrong with the audit's input, printed as <c>file:line: kind/name: field: what is wrong</c>.</summary>
/// <param name="File">The file as the user named it, or "-" for standard input.</param>
/// <param name="Line">The 1-based line; 0 when the problem is the file itself.</param>
/// <param name="Object">"Kind/name" of the object, when known.</param>
/// <param name="Field">The dotted path of the field, when the problem is one field.</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record InputProblem(string File, int Line, string? Object, string? Field, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}" : File;
        var parts = new List<string> { where };
        if (!string.IsNullOrEmpty(Object))
        {
            parts.Add(Object);
        }

        if (!string.IsNullOrEmpty(Field))
        {
            parts.Add(Field);
        }

        parts.Add(Message);
        return string.Join(": ", parts);
    }
}
