using AiBaseline.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace AiBaseline.Deploy.Tests;

/// <summary>The operator's own Deployment meets the restricted Pod Security Standard and the probe, metrics and leader-election conventions.</summary>
public sealed class RestrictedPodTests
{
    public static TheoryData<string> RenderNames() => ["kustomize", "helm-default", "helm-ci"];

    private static V1Deployment Operator(string render) => (render switch
    {
        "kustomize" => Renders.Kustomize(),
        "helm-default" => Renders.Helm(Renders.DefaultValues),
        "helm-ci" => Renders.Helm(Renders.CiValues),
        _ => throw new ArgumentOutOfRangeException(nameof(render), render, "unknown render"),
    }).Single("Deployment", "aibaseline").As<V1Deployment>();

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Operator_pod_meets_restricted(string render)
    {
        var violations = RestrictedPodStandard.Violations(Operator(render).Spec.Template.Spec);
        Assert.True(violations.Count == 0, $"{render}: {string.Join("; ", violations)}");
    }

    [Theory]
    [InlineData("privilege escalation allowed", "allowPrivilegeEscalation is not false")]
    [InlineData("root user", "runAsUser is 0")]
    [InlineData("capability added", "capabilities.add holds SYS_ADMIN")]
    [InlineData("host path volume", "spec.volumes[host] is of type hostPath")]
    [InlineData("no seccomp", "seccompProfile.type is unset")]
    [InlineData("writable root", "readOnlyRootFilesystem is not true")]
    [InlineData("host network", "spec.hostNetwork is true")]
    public void Checker_flags_a_broken_pod(string mutation, string expected)
    {
        // The checker must notice each mistake, or a passing Operator_pod_meets_restricted would prove nothing.
        var pod = Operator("kustomize").Spec.Template.Spec;
        var container = pod.Containers[0];
        switch (mutation)
        {
            case "privilege escalation allowed": container.SecurityContext.AllowPrivilegeEscalation = true; break;
            case "root user": pod.SecurityContext.RunAsUser = 0; break;
            case "capability added": container.SecurityContext.Capabilities.Add = ["SYS_ADMIN"]; break;
            case "host path volume": pod.Volumes.Add(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }); break;
            case "no seccomp": pod.SecurityContext.SeccompProfile = null; break;
            case "writable root": container.SecurityContext.ReadOnlyRootFilesystem = false; break;
            case "host network": pod.HostNetwork = true; break;
            default: throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "unknown mutation");
        }

        Assert.Contains(RestrictedPodStandard.Violations(pod), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Operator_runs_as_the_image_user_with_a_writable_tmp(string render)
    {
        var pod = Operator(render).Spec.Template.Spec;
        Assert.Equal(65532, pod.SecurityContext.RunAsUser);
        Assert.Equal(65532, pod.SecurityContext.RunAsGroup);
        Assert.False(pod.EnableServiceLinks);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.ReadOnlyProperty != true);
        Assert.Equal("/tmp", mount.MountPath);
        Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == mount.Name).EmptyDir);
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Probes_and_metrics_use_the_controller_runtime_ports(string render)
    {
        var container = Operator(render).Spec.Template.Spec.Containers[0];
        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(8080, ports["metrics"]);
        Assert.Equal(8081, ports["health"]);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("health", container.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("health", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Contains("--health-probe-bind-address=:8081", container.Args);
        Assert.Contains("--metrics-bind-address=:8080", container.Args);
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Replicas_elect_a_leader_and_know_their_pod(string render)
    {
        var deployment = Operator(render);
        var container = deployment.Spec.Template.Spec.Containers[0];
        Assert.True(deployment.Spec.Replicas >= 2, $"{render}: {deployment.Spec.Replicas} replica(s) give no fail-over");
        Assert.Contains("--leader-elect", container.Args);
        var env = container.Env.ToDictionary(e => e.Name, e => e.ValueFrom?.FieldRef?.FieldPath);
        Assert.Equal("metadata.name", env["POD_NAME"]);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]);
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Resources_are_requested_and_limited(string render)
    {
        var resources = Operator(render).Spec.Template.Spec.Containers[0].Resources;
        foreach (var name in new[] { "cpu", "memory" })
        {
            Assert.True(resources.Requests?.ContainsKey(name), $"{render}: no {name} request");
            Assert.True(resources.Limits?.ContainsKey(name), $"{render}: no {name} limit");
        }
    }

    [Fact]
    public void Kustomize_namespace_enforces_restricted()
    {
        var ns = Renders.Kustomize().Single("Namespace", "aibaseline-system").As<V1Namespace>();
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }
}
