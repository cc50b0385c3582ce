using System.Text.Json;
using System.Text.RegularExpressions;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>One build stage of a Dockerfile: its base image (ARG defaults substituted), name and instructions.</summary>
internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions);

/// <summary>One instruction with its line number, keyword in upper case and the rest of the line (continuations joined).</summary>
internal sealed record DockerInstruction(int Line, string Keyword, string Arguments);

/// <summary>A small Dockerfile reader: enough to check stages, COPY sources, USER and ENTRYPOINT without a container engine.</summary>
internal static partial class Dockerfile
{
    public static IReadOnlyList<DockerStage> Parse(string text)
    {
        var instructions = Instructions(text);
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<(string Image, string? Name, List<DockerInstruction> Body)>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                var image = ArgReference().Replace(words[0], m => globalArgs.GetValueOrDefault(m.Groups["name"].Value, m.Value));
                var name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add((image, name, []));
            }
            else if (stages.Count == 0 && instruction.Keyword == "ARG")
            {
                var parts = instruction.Arguments.Split('=', 2);
                globalArgs[parts[0].Trim()] = parts.Length == 2 ? parts[1].Trim() : "";
            }
            else if (stages.Count > 0)
            {
                stages[^1].Body.Add(instruction);
            }
        }

        return stages.Select(s => new DockerStage(s.Image, s.Name, s.Body)).ToList();
    }

    /// <summary>The source paths of a COPY without --from (everything but flags and the destination).</summary>
    public static IReadOnlyList<string> CopySources(DockerInstruction copy)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(w => w.StartsWith("--from", StringComparison.Ordinal)))
        {
            return [];
        }

        var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        return paths.Take(paths.Count - 1).ToList();
    }

    /// <summary>The words of an exec-form (JSON array) ENTRYPOINT or CMD; shell form fails, as a chiseled image has no shell.</summary>
    public static IReadOnlyList<string> ExecForm(DockerInstruction instruction)
    {
        var trimmed = instruction.Arguments.Trim();
        Assert.True(trimmed.StartsWith('['), $"Dockerfile:{instruction.Line}: {instruction.Keyword} is in shell form; the chiseled image has no shell");
        return JsonSerializer.Deserialize<List<string>>(trimmed)!;
    }

    private static List<DockerInstruction> Instructions(string text)
    {
        var result = new List<DockerInstruction>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1] + " " + lines[++i].Trim();
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            result.Add(new DockerInstruction(start, line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }

        return result;
    }

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex ArgReference();
}
