using AiBaseline.Audit;
using AiBaseline.Audit.Reports;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// A large stream is cut into parts of whole documents that are parsed side by side. Where it is cut, and that a cut
/// stream audits exactly as the uncut one does: the same verdicts with the same file:line, and for bad input the same
/// problems on the same lines.
/// </summary>
public sealed class StreamChunksTests(ITestOutputHelper output)
{
    private const string Doc = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n";

    [Theory]
    [InlineData("a document start at column 0", Doc + "---\n" + Doc + "--- \n" + Doc + "---\t# c\n" + Doc, new[] { 0, 3, 7, 11 })]
    [InlineData("a start with content after it on its line", Doc + "--- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n" + Doc, new[] { 0, 3 })]
    [InlineData("CRLF line ends", "a: 1\r\n---\r\nb: 2\r\n---\r\nc: 3\r\n", new[] { 0, 1, 3 })]
    [InlineData("not an indented ---, nor --- followed by text", Doc + "  ---\n" + Doc + "----\n---x\n" + Doc, new[] { 0 })]
    [InlineData("not a block scalar's content, which is indented", "data:\n  key: |\n    ---\n    text\n---\n" + Doc, new[] { 0, 4 })]
    [InlineData("not a stream with a directive, which applies to the documents after it", "%YAML 1.1\n---\n" + Doc + "---\n" + Doc, new[] { 0 })]
    [InlineData("not a stream with a line break YAML reads but a line count would miss", "a: 1\r---\nb: 2\n", new[] { 0 })]
    [InlineData("not a stream with a Unicode line separator", "a: 1\u2028---\nb: 2\n---\nc: 3\n", new[] { 0 })]
    public void Cuts_only_where_YAML_starts_a_document(string reason, string text, int[] linesBefore)
    {
        var chunks = StreamChunks.Of(text, size: 1);
        Assert.True(linesBefore.SequenceEqual(chunks.Select(c => c.LinesBefore)), $"{reason}: cut before lines {string.Join(", ", chunks.Select(c => c.LinesBefore))}");
        Assert.Equal(text, string.Concat(chunks.Select(c => text.Substring(c.Start, c.Length))));
    }

    [Fact]
    public void A_small_stream_is_one_part() =>
        Assert.Single(StreamChunks.Of(Doc + "---\n" + Doc));

    [Fact]
    public void A_cut_stream_of_the_examples_audits_as_the_whole_stream_with_the_same_lines()
    {
        var stream = ExamplesStream();
        var (whole, wholeProblems) = Audit(stream, int.MaxValue);
        var (cut, cutProblems) = Audit(stream, 1);
        Assert.Empty(wholeProblems);
        Assert.Empty(cutProblems);
        Assert.Equal(whole, cut);
        Assert.Contains("(-:", whole, StringComparison.Ordinal);
        output.WriteLine(whole[..Math.Min(whole.Length, 400)]);
    }

    [Fact]
    public void Mutated_streams_give_the_same_problems_and_verdicts_cut_or_whole()
    {
        var stream = ExamplesStream();
        var random = new Random(304223);
        var bad = 0;
        const int inputs = 300;
        for (var i = 0; i < inputs; i++)
        {
            var mutated = MutatedExamplesFuzzTests.Mutate(stream, random);
            var (whole, wholeProblems) = Audit(mutated, int.MaxValue);
            var (cut, cutProblems) = Audit(mutated, 1);
            Assert.True(wholeProblems.SequenceEqual(cutProblems), $"input {i}: problems differ\nwhole: {string.Join("\n", wholeProblems)}\ncut: {string.Join("\n", cutProblems)}\n--- input ---\n{mutated}");
            Assert.True(whole == cut, $"input {i}: reports differ\n--- input ---\n{mutated}");
            bad += wholeProblems.Count > 0 ? 1 : 0;
        }

        output.WriteLine($"{inputs} mutated streams, {bad} with problems in the input");
        Assert.InRange(bad, 1, inputs - 1);
    }

    // Every example's objects in one stream, as `kubectl kustomize` prints them.
    private static string ExamplesStream() => string.Join("---\n", Directory
        .GetFiles(AuditHarness.Examples(), "*.yaml", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .Select(t => t.EndsWith('\n') ? t : t + "\n"));

    private static (string Report, List<string> Problems) Audit(string stream, int chunkSize)
    {
        var problems = new List<InputProblem>();
        var set = ManifestLoader.Load([new ManifestFile("-", stream)], "default", problems, inferNamespace: true, chunkSize: chunkSize);
        if (problems.Count > 0)
        {
            return ("", [.. problems.Select(p => p.ToString())]);
        }

        var verdicts = AuditRun.Evaluate(set, null, new FakeTimeProvider(AuditHarness.Today));
        var text = new StringWriter();
        ReportWriter.Write(new AuditOptions(["-"]), verdicts, text, AuditHarness.Today);
        return (text.ToString(), []);
    }
}
