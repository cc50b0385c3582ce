using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AiBaseline.Audit;
using AiBaseline.Benchmarks;
using FsCheck;
using FsCheck.Xunit;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit's own YAML parser (<see cref="FastYamlParser"/>) against YamlDotNet's, on the same texts: wherever the fast
/// parser does not give up, it must give exactly YamlDotNet's events (types, values, styles, implicit flags, anchors,
/// tags, key flags and start marks: index, line, column), and it must give up on every text YamlDotNet refuses. The
/// corpus is every YAML file of the repository (examples, CRDs, chart, test fixtures), the YAML written inline in the
/// CLI tests, the scale harness's stream of 10,000 deployments, and seeded mutations of them (6,000 by default; set
/// <c>AIBASELINE_YAML_FUZZ_INPUTS</c> and <c>AIBASELINE_YAML_FUZZ_SEED</c> for a longer run or another seed).
/// </summary>
public sealed partial class FastYamlParserTests(ITestOutputHelper output)
{
    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("AIBASELINE_YAML_FUZZ_SEED") ?? "304223", CultureInfo.InvariantCulture);
    private static readonly int Mutations = int.Parse(Environment.GetEnvironmentVariable("AIBASELINE_YAML_FUZZ_INPUTS") ?? "6000", CultureInfo.InvariantCulture);

    private enum Outcome
    {
        Same,
        GaveUp,
        BothRefuse,
    }

    [Theory]
    [InlineData("a: 1\nb: two words\n")]
    [InlineData("a: 1\r\nb:\r\n  c: [x, \"y\"]\r\n")]
    [InlineData("a: 1")]
    [InlineData("a: 1   ")]
    [InlineData("a:\n  b:\n    c: d   # note\n")]
    [InlineData("a:\n  b:\n    c: d\n  e:")]
    [InlineData("list:\n- a\n- b: 1\n  c: 2\n-\n- - x\n  - y\nnext: 1\n")]
    [InlineData("list:\n  - a\n  -\n  - {k: v, k2: [1, 2]}\n")]
    [InlineData("a: first line\n  second line\n\n  after a blank\nb: 2\n")]
    [InlineData("a: 'it''s'\nb: \"tab\\there \\u00e9 \\x41 \\\" \\\\\"\n\"quoted key\": 1\n'single key': 2\n")]
    [InlineData("a: |\n  one\n   two\n\n  three\n\nb: >\n  folded\n  text\n\n   kept\n  end\nc: |-\n  x\n\n\nd: |+\n  y\n\n\ne: >2\n    deeper\n")]
    [InlineData("a: |\n  last line without end")]
    [InlineData("description: 'Container name: required\n  for volumes, optional\n\n  for env vars'\nnext: \"one \\\n   two\n\n  three  \"\n")]
    [InlineData("- 'a\n  b'\n- \"c\n\n\n  d\"\n")]
    [InlineData("---\na: 1\n---\n# comment\nb: 2\n---\n---\n")]
    [InlineData("# only a comment\n")]
    [InlineData("")]
    [InlineData("---")]
    [InlineData("args: [--model, /models/llm, --port=8000]\nempty: []\nnone: {}\nurl: http://x:8080/y\n")]
    [InlineData("- name: x\n  args:\n  - a\n  - b\n- name: y\n")]
    [InlineData("spec:\n  containers:\n  - name: c\n    env:\n    - {name: A, value: \"1\"}\n  volumes: [{name: v, emptyDir: {}}]\n")]
    public void Reads_what_manifests_use_exactly_as_YamlDotNet(string yaml)
    {
        Assert.Equal(Outcome.Same, Compare(yaml, out var difference));
        Assert.Null(difference);
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("%YAML 1.2\n---\na: 1\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("a:\n\tb: 1\n")]
    [InlineData("a: \"two\nlines\"\n")]
    [InlineData("? a\n")]
    [InlineData("a: 'x\n---\n  y'\n")]
    [InlineData("a: [1,\n  2]\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: 1\n b: 2\n")]
    [InlineData("a: {kind: Deployment, name: scorer\nb: 1\n")]
    [InlineData("a: 1\n...\n")]
    [InlineData("a: \"x\"#c\n")]
    public void Gives_up_on_what_it_does_not_read(string yaml)
    {
        Assert.NotEqual(Outcome.Same, Compare(yaml, out var difference));
        Assert.Null(difference);
    }

    [Fact]
    public void Agrees_with_YamlDotNet_on_the_repository_the_scale_stream_and_their_mutations()
    {
        var corpus = Corpus();
        var counts = new Dictionary<Outcome, int>();
        var differences = new List<string>();
        void Check(string label, string text)
        {
            var outcome = Compare(text, out var difference);
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            if (difference is not null && differences.Count < 5)
            {
                differences.Add($"{label}: {difference}\n--- input ---\n{text}\n---");
            }
        }

        var left = new List<string>();
        foreach (var (label, text) in corpus)
        {
            Check(label, text);
            if (Compare(text, out _) == Outcome.GaveUp)
            {
                left.Add(label);
            }
        }

        var original = counts.Values.Sum();
        var accepted = counts.GetValueOrDefault(Outcome.Same);
        var random = new Random(Seed);
        var small = SmallCorpus.Value;
        for (var i = 0; i < Mutations; i++)
        {
            var (label, text) = small[random.Next(small.Count)];
            Check($"mutation {i} of {label}", Mutate(text, random));
        }

        output.WriteLine($"{original} repository inputs{(corpus.Any(c => c.Label.StartsWith("charts/aibaseline rendered", StringComparison.Ordinal)) ? " (with the rendered chart)" : " (helm not installed: without the rendered chart)")}: {accepted} read by the fast parser, the rest left to YamlDotNet");
        output.WriteLine($"left to YamlDotNet: {string.Join(", ", left)}");
        output.WriteLine($"{original + Mutations} inputs in all (seed {Seed}): " + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
        Assert.True(counts.GetValueOrDefault(Outcome.Same) - accepted > Mutations / 10, "the mutations hardly reach the fast parser");
    }

    /// <summary>
    /// The same agreement as a property: FsCheck picks a small input of the corpus and up to three edits (each number
    /// encodes the kind of edit, where, and what is inserted), and shrinks a failing case to its fewest, simplest edits.
    /// </summary>
    [Property(MaxTest = 3000, Replay = "(304223,1013)")]
    public void Edited_inputs_parse_as_YamlDotNet_parses_them(NonNegativeInt input, uint[] edits)
    {
        var small = SmallCorpus.Value;
        var text = small[input.Get % small.Count].Text;
        foreach (var edit in edits.Take(3))
        {
            text = Edit(text, (int)(edit & 15), (int)((edit >> 4) & 0xFFFFF), (int)(edit >> 24), 0x20 + (int)(edit % 0x5f));
        }

        Compare(text, out var difference);
        Assert.True(difference is null, $"{difference}\n--- input ---\n{text}\n---");
    }

    private static readonly Lazy<List<(string Label, string Text)>> SmallCorpus = new(() => [.. Corpus().Where(c => c.Text.Length is > 0 and < 20_000)]);

    [Fact]
    public void Reads_every_example_and_the_scale_stream_itself()
    {
        var examples = Directory.GetFiles(RepositoryPaths.Examples, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(examples);
        foreach (var file in examples)
        {
            Assert.True(Compare(File.ReadAllText(file), out var difference) == Outcome.Same, $"{file}: {difference ?? "the fast parser gave up"}");
        }

        var stream = Stream(10_000);
        Assert.True(Compare(stream, out var streamDifference) == Outcome.Same, streamDifference ?? "the fast parser gave up on the scale stream");
        foreach (var chunk in StreamChunks.Of(stream))
        {
            var part = stream.Substring(chunk.Start, chunk.Length);
            Assert.True(FastYamlParser.TryLoadEach(part, _ => { }), $"the part at line {chunk.LinesBefore + 1} is left to YamlDotNet");
        }

        output.WriteLine($"{examples.Count} examples and a stream of {stream.Length / 1e6:F1} MB read by the fast parser");
    }

    [Fact]
    public void Document_by_document_gives_the_documents_YamlDotNet_loads()
    {
        var read = 0;
        foreach (var (label, text) in Corpus().Append(("scale stream", Stream(300))))
        {
            var each = new List<YamlDocument>();
            if (!FastYamlParser.TryLoadEach(text, each.Add))
            {
                continue;
            }

            var reference = new YamlStream();
            reference.Load(new Parser(new Scanner(new StringReader(text))));
            read++;
            Assert.True(reference.Documents.Count == each.Count, $"{label}: YamlDotNet loads {reference.Documents.Count} documents, one by one gave {each.Count}");
            for (var i = 0; i < each.Count; i++)
            {
                Assert.True(Tree(reference.Documents[i].RootNode) == Tree(each[i].RootNode), $"{label}: document {i + 1} differs");
            }
        }

        Assert.True(read > 50, $"only {read} inputs read");
        output.WriteLine($"{read} inputs loaded alike by YamlDotNet and document by document");
    }

    // A node with the line and column it starts at, and its children.
    private static string Tree(YamlNode node) => node switch
    {
        YamlScalarNode scalar => $"{node.Start.Line}:{node.Start.Column} {scalar.Style} {scalar.Value}",
        YamlMappingNode mapping => $"{node.Start.Line}:{node.Start.Column} {{{string.Join(", ", mapping.Children.Select(c => Tree(c.Key) + ": " + Tree(c.Value)))}}}",
        YamlSequenceNode sequence => $"{node.Start.Line}:{node.Start.Column} [{string.Join(", ", sequence.Children.Select(Tree))}]",
        _ => node.ToString(),
    };

    /// <summary>The stream of <c>aibaseline-benchmarks audit-stream</c>: the profile, then six objects per deployment.</summary>
    private static string Stream(int count)
    {
        var text = new StringBuilder(ScaleManifests.Profile);
        for (var i = 0; i < count; i++)
        {
            text.Append("\n---\n").Append(ScaleManifests.Deployment(i));
        }

        return text.Append('\n').ToString();
    }

    // Same when the fast parser gives YamlDotNet's events; a difference is set when it gives other events, or reads a
    // text YamlDotNet refuses.
    private static Outcome Compare(string text, out string? difference)
    {
        difference = null;
        var reference = new Parser(new Scanner(new StringReader(text)));
        var index = 0;
        string? first = null;
        var refused = false;
        var read = FastYamlParser.TryParse(text, fast =>
        {
            if (first is not null || refused)
            {
                return;
            }

            string expected;
            try
            {
                expected = reference.MoveNext() ? Describe(reference.Current!) : "(no more events)";
            }
            catch (Exception e) when (e is YamlException or InvalidOperationException)
            {
                refused = true;
                return;
            }

            var actual = Describe(fast);
            if (actual != expected)
            {
                first = $"event {index}: YamlDotNet gives {expected}, the fast parser {actual}";
            }

            index++;
        });

        // Whether YamlDotNet reads the rest of the text.
        try
        {
            while (!refused && reference.MoveNext())
            {
                if (read && first is null)
                {
                    first = $"event {index}: YamlDotNet gives {Describe(reference.Current!)} after the fast parser's last";
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            refused = true;
        }

        if (!read)
        {
            return refused ? Outcome.BothRefuse : Outcome.GaveUp;
        }

        difference = refused ? "YamlDotNet refuses the text, the fast parser read it" : first;
        return Outcome.Same;
    }

    private static string Describe(ParsingEvent e)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"@{e.Start.Index}:{e.Start.Line}:{e.Start.Column}");
        return e switch
        {
            Scalar s => $"Scalar{at} \"{Escape(s.Value)}\" {s.Style} plain={s.IsPlainImplicit} quoted={s.IsQuotedImplicit} key={s.IsKey} anchor={s.Anchor} tag={s.Tag}",
            MappingStart m => $"MappingStart{at} {m.Style} implicit={m.IsImplicit} anchor={m.Anchor} tag={m.Tag}",
            SequenceStart q => $"SequenceStart{at} {q.Style} implicit={q.IsImplicit} anchor={q.Anchor} tag={q.Tag}",
            DocumentStart d => $"DocumentStart{at} implicit={d.IsImplicit} version={d.Version?.Version} tags={string.Join(' ', d.Tags?.Select(t => t.Handle + "=" + t.Prefix) ?? [])}",
            DocumentEnd d => $"DocumentEnd{at} implicit={d.IsImplicit}",
            AnchorAlias a => $"AnchorAlias{at} {a.Value}",
            _ => e.GetType().Name + at,
        };
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    // Every YAML file of the repository and the YAML written in the CLI tests' raw strings.
    private static List<(string Label, string Text)> Corpus()
    {
        var root = RepositoryPaths.Root;
        var files = new[] { "examples", "crds", "charts", "deploy", "tests", "docs" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(root, f), File.ReadAllText(f)));
        var inline = Directory.GetFiles(Path.Combine(root, "tests", "AiBaseline.Cli.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => RawString().Matches(File.ReadAllText(f)).Select((m, i) => ($"{Path.GetFileName(f)} string {i}", Dedent(m.Groups["body"].Value, m.Groups["indent"].Value.Length))))
            .Where(s => s.Item2.Contains(": ", StringComparison.Ordinal));
        return [.. files, .. inline, .. RenderedChart(), ("the stream of 300 scale deployments", Stream(300))];
    }

    // The chart as helm template renders it with its default values, when helm is installed (tests/setup.d/30-helm.sh).
    private static IEnumerable<(string Label, string Text)> RenderedChart()
    {
        var helm = Environment.GetEnvironmentVariable("AIBASELINE_HELM") is { Length: > 0 } set ? set : Path.Combine(RepositoryPaths.Root, ".tools", "kubectl-layer", "helm", "helm");
        if (!File.Exists(helm))
        {
            yield break;
        }

        var start = new System.Diagnostics.ProcessStartInfo(helm, ["template", "aibaseline", Path.Combine(RepositoryPaths.Root, "charts", "aibaseline"), "-n", "aibaseline-system"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var home = Path.Combine(Path.GetTempPath(), "aibaseline-yaml-tests-helm");
        foreach (var variable in new[] { "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME" })
        {
            start.Environment[variable] = Path.Combine(home, variable);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var rendered = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"helm template failed: {stderr.Result}");
        yield return ("charts/aibaseline rendered by helm template", rendered);
    }

    private static string Dedent(string body, int indent) =>
        string.Join('\n', body.Split('\n').Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart(' ')));

    private static readonly string[] Insertions =
    [
        ": ", " #", "#", "'", "\"", "\t", "- ", "-", " ", "  ", "\n", "\r\n", "{", "}", "[", "]", ",", "&a ", "*a", "!t ", "? ", "|", ">", "|-", "\\", "%", "@", "`", "---\n", "...\n", "x", ":",
    ];

    // One to three edits (Edit), at random.
    private static string Mutate(string text, Random random)
    {
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            text = Edit(text, random.Next(11), random.Next(text.Length), random.Next(Insertions.Length), random.Next(0x20, 0x7f));
        }

        return text;
    }

    /// <summary>
    /// One edit of <paramref name="text"/> at <paramref name="at"/>: a character or line deleted, repeated or inserted, a
    /// line indented or dedented (or a tab put before it), a YAML indicator inserted (<paramref name="piece"/> picks it),
    /// the text with CRLF line ends, or cut short.
    /// </summary>
    private static string Edit(string text, int kind, int at, int piece, int character)
    {
        if (text.Length == 0)
        {
            return text;
        }

        at %= text.Length;
        var lineStart = text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        var lineEnd = text.IndexOf('\n', at);
        lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
        var insertion = Insertions[piece % Insertions.Length];
        return (kind % 11) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, text[at].ToString()),
            2 => text.Insert(at, insertion),
            3 => text.Remove(lineStart, lineEnd - lineStart),
            4 => text.Insert(lineStart, text[lineStart..lineEnd]),
            5 => text.Insert(lineStart, new string(' ', 1 + (piece % 3))),
            6 => text.Length > lineStart && text[lineStart] == ' ' ? text.Remove(lineStart, 1) : text.Insert(lineStart, "\t"),
            7 => text.Insert(lineStart + (lineEnd > lineStart + 1 ? piece % (lineEnd - lineStart) : 0), insertion),
            8 => text.ReplaceLineEndings("\r\n"),
            9 => text[..at],
            _ => text.Insert(at, ((char)character).ToString()),
        };
    }

    [GeneratedRegex("\\$*\"\"\"\\n(?<body>(?:.*\\n)*?)(?<indent>[ ]*)\"\"\"")]
    private static partial Regex RawString();
}
