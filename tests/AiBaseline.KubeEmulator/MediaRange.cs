namespace AiBaseline.KubeEmulator;

/// <summary>One media range of an Accept header, such as <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>.</summary>
internal sealed record MediaRange(string Type, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>A parameter's value, or null.</summary>
    public string? this[string name] => Parameters.GetValueOrDefault(name);

    /// <summary>True for JSON, which is all the emulator writes.</summary>
    public bool IsJson => Type is "application/json" or "application/*" or "*/*";

    /// <summary>The ranges of every Accept header of a request, in the order the client listed them.</summary>
    public static IReadOnlyList<MediaRange> Of(HttpRequest request) =>
    [
        .. string.Join(',', request.Headers.Accept.OfType<string>())
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(range => range.Split(';', StringSplitOptions.TrimEntries))
            .Select(parts => new MediaRange(
                parts[0],
                parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0], StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal))),
    ];
}
