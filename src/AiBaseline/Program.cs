using System.CommandLine;
using System.Text;
using AiBaseline.Commands;

var root = new RootCommand("aibaseline: checks AI model deployments against the ETSI EN 304 223 baseline.");
foreach (var command in CommandSet.All())
{
    root.Subcommands.Add(command);
}

// Written to a file or a pipe, the output goes through one large buffer: Console.Out flushes on every write, which for
// a report of thousands of deployments is a system call per line. On a terminal it stays Console.Out (colors, prompt).
if (!Console.IsOutputRedirected)
{
    return await UsageErrors.InvokeAsync(root.Parse(args));
}

await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var configuration = new InvocationConfiguration { Output = stdout };
try
{
    return await UsageErrors.InvokeAsync(root.Parse(args), configuration);
}
finally
{
    await stdout.FlushAsync();
}
