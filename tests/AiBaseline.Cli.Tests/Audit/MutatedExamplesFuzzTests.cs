using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// Whatever a user feeds it, the audit answers with an exit code of 0, 1 or 2 and never a stack trace. A seeded corpus
/// mutates the shipped examples: truncated at a random point, a character flipped, a scalar value replaced with a random
/// string or quantity. The seed is fixed so a failure reproduces; the run is bounded to stay well under 20 seconds.
/// </summary>
public sealed partial class MutatedExamplesFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 304223;
    private const int Inputs = 1200;

    private static readonly string[] Scalars =
    [
        "${ACCELERATOR_COUNT}", "FILESTORE_CAPACITY", "10GB", "\"1gi\"", "1e3", ".5", "-1", "1E", "0644", "yes", "no", "~", "",
        "{kind: Deployment, name: x", "[a, b", "*missing", "&a", "<<: *a", "\"unterminated", "'", "|", ">-", "- x", "{}", "[]",
        "9999999999999999999999", "1.5Gi", "sha256:zz", "2026-13-45", "null", "true", ":", "? x", "!!binary AAAA", "\t",
    ];

    private const string Flips = "{}[]:,-#&*!|>'\"%@` \n\tx0";

    [Fact]
    public void Mutated_examples_never_crash_the_audit()
    {
        var examples = Directory.GetFiles(AuditHarness.Examples(), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(Seed);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Inputs; i++)
        {
            var target = examples[random.Next(examples.Length)];
            var original = File.ReadAllText(target);
            var mutated = Mutate(original, random);
            using var temp = new TempManifests();
            foreach (var sibling in Directory.GetFiles(Path.GetDirectoryName(target)!))
            {
                temp.Write(Path.GetFileName(sibling), sibling == target ? mutated : File.ReadAllText(sibling));
            }

            var verdict = Audit(temp.Dir);
            if (verdict is not null)
            {
                failures.Add($"input {i} ({Path.GetFileName(target)}): {verdict}\n--- input ---\n{mutated}");
            }
        }

        output.WriteLine($"{Inputs} mutated inputs audited in {clock.Elapsed.TotalSeconds:F1} s (seed {Seed})");
        var kinds = failures.Select(f => f.Split('\n')[0]).Distinct(StringComparer.Ordinal);
        Assert.True(failures.Count == 0, $"{failures.Count} of {Inputs} inputs crashed the audit:\n{string.Join("\n", kinds)}\nthe first:\n{failures.FirstOrDefault()}");
    }

    private static string? Audit(string dir)
    {
        try
        {
            var run = AuditHarness.Run(dir);
            return run.Exit is not (0 or 1 or 2) ? $"exit {run.Exit}\n{run.All}"
                : run.All.Contains("Unhandled exception", StringComparison.Ordinal) || run.All.Contains("   at ", StringComparison.Ordinal) ? run.All
                : null;
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }

    internal static string Mutate(string text, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                return text[..random.Next(text.Length + 1)];
            case 1:
                var chars = text.ToCharArray();
                for (var n = 1 + random.Next(3); n > 0 && chars.Length > 0; n--)
                {
                    chars[random.Next(chars.Length)] = Flips[random.Next(Flips.Length)];
                }

                return new string(chars);
            default:
                var values = ScalarValue().Matches(text);
                if (values.Count == 0)
                {
                    return text;
                }

                var value = values[random.Next(values.Count)].Groups["value"];
                var replacement = random.Next(2) == 0 ? Scalars[random.Next(Scalars.Length)] : RandomQuantity(random);
                return text[..value.Index] + replacement + text[(value.Index + value.Length)..];
        }
    }

    private static string RandomQuantity(Random random) =>
        $"{(random.Next(4) == 0 ? "-" : "")}{random.Next(100000)}{(random.Next(3) == 0 ? "." + random.Next(100) : "")}{new[] { "", "m", "k", "Ki", "Mi", "Gi", "G", "GB", "gi", "e3", "E", "n", "u", "Ti", "x" }[random.Next(15)]}";

    // The value after "key: " on one line.
    [GeneratedRegex(@"^\s*-?\s*[\w./-]+:[ ]+(?<value>[^\s#][^\n#]*)", RegexOptions.Multiline)]
    private static partial Regex ScalarValue();
}
