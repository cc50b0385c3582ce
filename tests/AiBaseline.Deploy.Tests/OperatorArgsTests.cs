using System.CommandLine;
using AiBaseline.Commands;
using AiBaseline.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace AiBaseline.Deploy.Tests;

/// <summary>The arguments each install method gives the operator are ones the operator accepts, so the pod does not crash-loop on a flag.</summary>
public sealed class OperatorArgsTests
{
    public static TheoryData<string> RenderNames() => ["kustomize", "helm-default", "helm-ci"];

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Rendered_operator_arguments_parse_without_errors(string render)
    {
        var container = (render switch
        {
            "kustomize" => Renders.Kustomize(),
            "helm-default" => Renders.Helm(Renders.DefaultValues),
            _ => Renders.Helm(Renders.CiValues),
        }).Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec.Containers.Single();

        var parsed = Root().Parse(["operator", .. container.Args ?? []]);

        Assert.True(parsed.Errors.Count == 0, $"{render}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        Assert.Equal("operator", parsed.CommandResult.Command.Name);
    }

    [Fact]
    public void An_argument_the_operator_does_not_know_is_an_error()
    {
        var parsed = Root().Parse(["operator", "--watch-namespaces=a,b"]);

        Assert.NotEmpty(parsed.Errors);
    }

    private static RootCommand Root()
    {
        var root = new RootCommand();
        foreach (var command in CommandSet.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
