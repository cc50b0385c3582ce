using System.CommandLine;

namespace AiBaseline.Commands;

/// <summary>The subcommands of <c>aibaseline</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandSet
{
    public static IEnumerable<Command> All()
    {
        yield return AuditCommand.Create(TimeProvider.System);
        yield return CrdsCommand.Create();
        yield return ReportCommand.Create(TimeProvider.System);
        yield return VerifyModelCommand.Create(TimeProvider.System);
        yield return new OperatorCommand();
    }
}
