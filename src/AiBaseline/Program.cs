using System.CommandLine;
using AiBaseline.Commands;

var root = new RootCommand("aibaseline: checks AI model deployments against the ETSI EN 304 223 baseline.");
foreach (var command in CommandSet.All())
{
    root.Subcommands.Add(command);
}

return await UsageErrors.InvokeAsync(root.Parse(args));
