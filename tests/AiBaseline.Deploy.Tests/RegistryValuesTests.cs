using System.CommandLine;
using AiBaseline.Commands;
using AiBaseline.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace AiBaseline.Deploy.Tests;

/// <summary>
/// The chart's registry values reach the operator as flags it accepts: reading pull secrets needs both the flag and
/// the grant, a CA bundle is mounted read-only where the flag points, and each plain-HTTP registry gets its flag.
/// </summary>
public sealed class RegistryValuesTests
{
    [Theory]
    [InlineData(true, "the operator reads pull secrets only when told to, and may only then")]
    [InlineData(false, "the default: no flag and no get on Secrets, as least privilege asks")]
    public void Reading_pull_secrets_passes_the_flag_and_grants_get_together(bool read, string reason)
    {
        var documents = Render("--set", $"registry.readPullSecrets={(read ? "true" : "false")}");
        var args = Operator(documents).Args ?? [];
        var secretVerbs = RbacGrants.Roles(documents).SelectMany(RbacGrants.Expand)
            .Where(g => g.ApiGroup.Length == 0 && g.Resource == "secrets").Select(g => g.Verb).ToHashSet();

        Assert.True(read == args.Contains("--read-pull-secrets"), $"{reason}: args are {string.Join(" ", args)}");
        Assert.True(read == secretVerbs.Contains("get"), $"{reason}: secrets verbs are {string.Join(",", secretVerbs)}");
    }

    [Fact]
    public void A_ca_bundle_is_mounted_read_only_and_passed_as_registry_ca()
    {
        var documents = Render("--set", "registry.caBundle.configMap=corporate-ca", "--set", "registry.caBundle.key=bundle.pem");
        var pod = documents.Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec;
        var volume = Assert.Single(pod.Volumes, v => v.ConfigMap is not null);
        Assert.Equal("corporate-ca", volume.ConfigMap.Name);
        var item = Assert.Single(volume.ConfigMap.Items);
        Assert.Equal("bundle.pem", item.Key);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
        Assert.True(mount.ReadOnlyProperty);

        var parsed = ParseOperator(pod.Containers[0].Args);
        Assert.Equal($"{mount.MountPath}/{item.Path}", parsed.GetValue<string>("--registry-ca"));
    }

    [Fact]
    public void Each_insecure_registry_becomes_one_flag_the_operator_accepts()
    {
        var documents = Render("--set", "registry.insecureRegistries={registry.team-a.svc:5000,mirror.local,[::1]:5000}");

        var parsed = ParseOperator(Operator(documents).Args);
        Assert.Equal(["registry.team-a.svc:5000", "mirror.local", "[::1]:5000"], parsed.GetValue<string[]>("--insecure-registry") ?? []);
    }

    [Fact]
    public void By_default_no_registry_flag_and_no_ca_volume()
    {
        var deployment = Renders.Helm(Renders.DefaultValues).Single("Deployment", "aibaseline").As<V1Deployment>();
        var args = deployment.Spec.Template.Spec.Containers[0].Args ?? [];

        Assert.DoesNotContain(args, a => a.StartsWith("--registry-ca", StringComparison.Ordinal) || a.StartsWith("--insecure-registry", StringComparison.Ordinal) || a == "--read-pull-secrets");
        Assert.DoesNotContain(deployment.Spec.Template.Spec.Volumes, v => v.ConfigMap is not null);
    }

    private static IReadOnlyList<KubeDocument> Render(params string[] settings) =>
        KubeDocument.ParseAll($"helm template {string.Join(' ', settings)}", Renders.HelmTemplate(settings).EnsureSuccess().Stdout);

    private static V1Container Operator(IReadOnlyList<KubeDocument> documents) =>
        documents.Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec.Containers.Single();

    /// <summary>Parses the rendered arguments as `aibaseline operator` does, failing on any error.</summary>
    private static ParseResult ParseOperator(IList<string>? args)
    {
        var root = new RootCommand();
        foreach (var command in CommandSet.All())
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(["operator", .. args ?? []]);
        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        return parsed;
    }
}
