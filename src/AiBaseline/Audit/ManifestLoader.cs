namespace AiBaseline.Audit;

/// <summary>
/// Reads, parses and decodes the audit's input on every core, with the result and the problems exactly those of one
/// pass over the files in order. Each file is a unit of work, and a large one (one stream through standard input, as
/// <c>kubectl kustomize | aibaseline audit -</c> gives it) is cut into parts of whole documents
/// (<see cref="StreamChunks"/>); each part is parsed and decoded alone, and its YAML dropped as soon as it is decoded.
/// A part with any problem sends its file back to the one-pass path, so what a user is told about bad input, and the
/// line it names, does not depend on how the file was cut.
/// </summary>
public static class ManifestLoader
{
    /// <summary>Parses and decodes <paramref name="files"/>; problems are added in the order one pass over the files gives them.</summary>
    /// <param name="files">The input files, in order.</param>
    /// <param name="defaultNamespace">The namespace of objects that name none.</param>
    /// <param name="problems">Collects what is wrong with the input.</param>
    /// <param name="keepPullSecrets">Keep the .dockerconfigjson of image pull secrets (only for --verify).</param>
    /// <param name="inferNamespace">Objects that name no namespace take the one the others name, when they name exactly one.</param>
    /// <param name="chunkSize">The size a file is cut at (<see cref="StreamChunks"/>).</param>
    public static ManifestSet Load(IReadOnlyList<ManifestFile> files, string defaultNamespace, List<InputProblem> problems, bool keepPullSecrets = false,
        bool inferNamespace = false, int chunkSize = StreamChunks.DefaultSize)
    {
        var work = new List<(int File, TextChunk? Chunk)>();
        for (var f = 0; f < files.Count; f++)
        {
            var chunks = StreamChunks.Of(files[f].Text, chunkSize);
            work.AddRange(chunks.Count == 1 ? [(f, null)] : chunks.Select(c => (f, (TextChunk?)c)));
        }

        var parts = new Part[work.Count];
        Parallelism.For(work.Count, i =>
        {
            var (f, chunk) = work[i];
            parts[i] = chunk is { } c
                ? Part.Of(files[f].Name, files[f].Text.Substring(c.Start, c.Length), c.LinesBefore, keepPullSecrets)
                : Part.Of(files[f].Name, files[f].Text, 0, keepPullSecrets);
        });

        // A file cut into parts of which any has a problem is read again in one pass, for the problems one pass reports.
        var byFile = new List<Part>(files.Count);
        for (var i = 0; i < work.Count;)
        {
            var f = work[i].File;
            var end = i;
            while (end < work.Count && work[end].File == f)
            {
                end++;
            }

            var ofFile = parts[i..end];
            byFile.AddRange(ofFile.Length > 1 && ofFile.Any(p => p.ParseProblems.Count + p.DecodeProblems.Count > 0)
                ? [Part.Of(files[f].Name, files[f].Text, 0, keepPullSecrets)]
                : ofFile);
            i = end;
        }

        problems.AddRange(byFile.SelectMany(p => p.ParseProblems));
        problems.AddRange(byFile.SelectMany(p => p.DecodeProblems));
        var named = byFile.SelectMany(p => p.Namespaces).Distinct(StringComparer.Ordinal).Take(2).ToList();
        var ns = inferNamespace && named.Count == 1 ? named[0] : defaultNamespace;
        var set = new ManifestSet();
        foreach (var part in byFile)
        {
            part.Decoder.FileInto(set, ns);
        }

        return set;
    }

    /// <summary>One file or part of one, parsed and decoded: its problems, what it decoded, and the namespaces its objects name.</summary>
    private sealed record Part(List<InputProblem> ParseProblems, List<InputProblem> DecodeProblems, ManifestDecoder Decoder, HashSet<string> Namespaces)
    {
        public static Part Of(string name, string text, int linesBefore, bool keepPullSecrets)
        {
            if (DocumentByDocument(name, text, linesBefore, keepPullSecrets) is { } read)
            {
                return read;
            }

            var parseProblems = new List<InputProblem>();
            var documents = YamlDocuments.Split(name, text, linesBefore, parseProblems);
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            foreach (var document in documents)
            {
                if (YamlDocuments.Mapping(document.Node, "metadata") is { } metadata && YamlDocuments.Scalar(metadata, "namespace") is { Length: > 0 } named)
                {
                    namespaces.Add(named);
                }
            }

            var decodeProblems = new List<InputProblem>();
            var decoder = new ManifestDecoder(decodeProblems, keepPullSecrets);
            foreach (var document in documents)
            {
                decoder.Add(document);
            }

            return new Part(parseProblems, decodeProblems, decoder, namespaces);
        }

        // Read by the audit's own parser, each document is decoded as soon as it is parsed and its YAML dropped, so no
        // more than one document's YAML is alive on a core when the garbage collector runs; null when that parser does
        // not read the text.
        private static Part? DocumentByDocument(string name, string text, int linesBefore, bool keepPullSecrets)
        {
            var parseProblems = new List<InputProblem>();
            var decodeProblems = new List<InputProblem>();
            var decoder = new ManifestDecoder(decodeProblems, keepPullSecrets);
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            var read = YamlDocuments.TryEach(name, text, linesBefore, parseProblems, document =>
            {
                if (YamlDocuments.Mapping(document.Node, "metadata") is { } metadata && YamlDocuments.Scalar(metadata, "namespace") is { Length: > 0 } named)
                {
                    namespaces.Add(named);
                }

                decoder.Add(document);
            });
            return read ? new Part(parseProblems, decodeProblems, decoder, namespaces) : null;
        }
    }
}
