using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using k8s.Models;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class RuntimeHardeningControlTests
{
    private const string Baseline = RuntimeHardeningControl.BaselineViolatedReason;
    private const string Restricted = RuntimeHardeningControl.RestrictedViolatedReason;
    private const string LevelMet = RuntimeHardeningControl.LevelMetReason;

    private static readonly RuntimeHardeningControl Control = new();

    private static readonly Dictionary<string, Action<Snapshot>> Changes = new()
    {
        ["compliant"] = _ => { },
        ["privileged container"] = s => Server(s).SecurityContext.Privileged = true,
        ["hostNetwork"] = s => Pod(s).HostNetwork = true,
        ["hostPID"] = s => Pod(s).HostPID = true,
        ["hostIPC"] = s => Pod(s).HostIPC = true,
        ["hostPath volume"] = s => Pod(s).Volumes = [new V1Volume { Name = "models", HostPath = new V1HostPathVolumeSource { Path = "/srv/models" } }],
        ["hostPort"] = s => Server(s).Ports = [new V1ContainerPort { ContainerPort = 8080, HostPort = 8080 }],
        ["SYS_ADMIN added"] = s => Server(s).SecurityContext.Capabilities.Add = ["SYS_ADMIN"],
        ["CHOWN added"] = s => Server(s).SecurityContext.Capabilities.Add = ["CHOWN"],
        ["NET_BIND_SERVICE added"] = s => Server(s).SecurityContext.Capabilities.Add = ["NET_BIND_SERVICE"],
        ["unsafe sysctl"] = s => Pod(s).SecurityContext.Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "65536" }],
        ["safe sysctl"] = s => Pod(s).SecurityContext.Sysctls = [new V1Sysctl { Name = "net.ipv4.tcp_keepalive_time", Value = "60" }],
        ["procMount Unmasked"] = s => Server(s).SecurityContext.ProcMount = "Unmasked",
        ["seccomp Unconfined"] = s => Server(s).SecurityContext.SeccompProfile = new V1SeccompProfile { Type = "Unconfined" },
        ["AppArmor Unconfined"] = s => Pod(s).SecurityContext.AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" },
        ["AppArmor annotation unconfined"] = s => s.Workload!.Template.Metadata.Annotations = new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/server"] = "unconfined" },
        ["SELinux user set"] = s => Server(s).SecurityContext.SeLinuxOptions = new V1SELinuxOptions { User = "system_u" },
        ["Windows hostProcess"] = s => Server(s).SecurityContext.WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true },
        ["allowPrivilegeEscalation unset"] = s => Server(s).SecurityContext.AllowPrivilegeEscalation = null,
        ["runAsNonRoot false on the container"] = s => Server(s).SecurityContext.RunAsNonRoot = false,
        ["runAsNonRoot only on the pod"] = s => Server(s).SecurityContext.RunAsNonRoot = null,
        ["runAsNonRoot nowhere"] = s => { Server(s).SecurityContext.RunAsNonRoot = null; Pod(s).SecurityContext.RunAsNonRoot = null; },
        ["runAsUser 0"] = s => Pod(s).SecurityContext.RunAsUser = 0,
        ["drop ALL missing"] = s => Server(s).SecurityContext.Capabilities.Drop = ["NET_RAW"],
        ["seccomp only on the container"] = s => Pod(s).SecurityContext.SeccompProfile = null,
        ["seccomp nowhere"] = s => { Pod(s).SecurityContext.SeccompProfile = null; Server(s).SecurityContext.SeccompProfile = null; },
        ["nfs volume"] = s => Pod(s).Volumes = [new V1Volume { Name = "data", Nfs = new V1NFSVolumeSource { Server = "nas", Path = "/data" } }],
        ["restricted volumes"] = s => Pod(s).Volumes = [new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() }, new V1Volume { Name = "weights", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "weights" } }],
        ["writable root filesystem"] = s => Server(s).SecurityContext.ReadOnlyRootFilesystem = false,
        ["bare init container"] = s => Pod(s).InitContainers = [new V1Container { Name = "fetch-weights", Image = "busybox" }],
    };

    [Theory]
    [InlineData("compliant", PodSecurityLevel.Restricted, LevelMet, "", "the builders' pod meets restricted")]
    [InlineData("privileged container", PodSecurityLevel.Privileged, RuntimeHardeningControl.NotRequiredReason, "", "level Privileged requires nothing")]
    [InlineData("privileged container", PodSecurityLevel.Baseline, Baseline, "container server: securityContext.privileged must be false", "privileged is the first baseline rule")]
    [InlineData("hostNetwork", PodSecurityLevel.Baseline, Baseline, "pod: spec.hostNetwork must be false", "host namespaces")]
    [InlineData("hostPID", PodSecurityLevel.Restricted, Baseline, "pod: spec.hostPID must be false", "restricted includes baseline")]
    [InlineData("hostIPC", PodSecurityLevel.Baseline, Baseline, "pod: spec.hostIPC must be false", "host namespaces")]
    [InlineData("hostPath volume", PodSecurityLevel.Baseline, Baseline, "volume models: hostPath volumes are not allowed; use a persistentVolumeClaim", "hostPath reaches the node")]
    [InlineData("hostPort", PodSecurityLevel.Baseline, Baseline, "container server: ports[0].hostPort must be unset or 0", "host ports")]
    [InlineData("SYS_ADMIN added", PodSecurityLevel.Baseline, Baseline, "container server: securityContext.capabilities.add must not hold SYS_ADMIN", "outside the baseline set")]
    [InlineData("CHOWN added", PodSecurityLevel.Baseline, LevelMet, "", "CHOWN is in the baseline set")]
    [InlineData("CHOWN added", PodSecurityLevel.Restricted, Restricted, "container server: securityContext.capabilities.add may hold only NET_BIND_SERVICE, not CHOWN", "restricted adds only NET_BIND_SERVICE")]
    [InlineData("NET_BIND_SERVICE added", PodSecurityLevel.Restricted, LevelMet, "", "the one capability restricted allows")]
    [InlineData("unsafe sysctl", PodSecurityLevel.Baseline, Baseline, "pod: securityContext.sysctls kernel.msgmax is not a safe sysctl; remove it", "unsafe sysctls")]
    [InlineData("safe sysctl", PodSecurityLevel.Restricted, LevelMet, "", "safe sysctls are allowed")]
    [InlineData("procMount Unmasked", PodSecurityLevel.Baseline, Baseline, "container server: securityContext.procMount must be Default", "/proc must stay masked")]
    [InlineData("seccomp Unconfined", PodSecurityLevel.Baseline, Baseline, "container server: securityContext.seccompProfile.type must not be Unconfined", "seccomp switched off")]
    [InlineData("AppArmor Unconfined", PodSecurityLevel.Baseline, Baseline, "pod: securityContext.appArmorProfile.type must not be Unconfined", "AppArmor switched off by field")]
    [InlineData("AppArmor annotation unconfined", PodSecurityLevel.Baseline, Baseline, "container server: AppArmor annotation must be runtime/default or localhost/<profile>", "AppArmor switched off by annotation")]
    [InlineData("SELinux user set", PodSecurityLevel.Baseline, Baseline, "container server: securityContext.seLinuxOptions.user and role must be unset", "custom SELinux users")]
    [InlineData("Windows hostProcess", PodSecurityLevel.Baseline, Baseline, "container server: securityContext.windowsOptions.hostProcess must not be true", "host process containers")]
    [InlineData("allowPrivilegeEscalation unset", PodSecurityLevel.Restricted, Restricted, "container server: securityContext.allowPrivilegeEscalation must be false", "unset is not false")]
    [InlineData("allowPrivilegeEscalation unset", PodSecurityLevel.Baseline, LevelMet, "", "baseline does not ask for it")]
    [InlineData("runAsNonRoot false on the container", PodSecurityLevel.Restricted, Restricted, "container server: securityContext.runAsNonRoot must not be false", "the container overrides the pod")]
    [InlineData("runAsNonRoot only on the pod", PodSecurityLevel.Restricted, LevelMet, "", "the pod's setting covers the containers")]
    [InlineData("runAsNonRoot nowhere", PodSecurityLevel.Restricted, Restricted, "container server: securityContext.runAsNonRoot must be true, here or in the pod's securityContext", "needed on the pod or every container")]
    [InlineData("runAsUser 0", PodSecurityLevel.Restricted, Restricted, "pod: securityContext.runAsUser must not be 0", "root by uid")]
    [InlineData("drop ALL missing", PodSecurityLevel.Restricted, Restricted, "container server: securityContext.capabilities.drop must include ALL", "restricted drops every capability")]
    [InlineData("seccomp only on the container", PodSecurityLevel.Restricted, LevelMet, "", "each container sets RuntimeDefault")]
    [InlineData("seccomp nowhere", PodSecurityLevel.Restricted, Restricted, "container server: securityContext.seccompProfile.type must be RuntimeDefault or Localhost, here or in the pod's securityContext", "needed on the pod or every container")]
    [InlineData("nfs volume", PodSecurityLevel.Restricted, Restricted, "volume data: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed", "restricted volume types")]
    [InlineData("nfs volume", PodSecurityLevel.Baseline, LevelMet, "", "baseline allows nfs")]
    [InlineData("restricted volumes", PodSecurityLevel.Restricted, LevelMet, "", "emptyDir and persistentVolumeClaim are allowed")]
    [InlineData("writable root filesystem", PodSecurityLevel.Restricted, LevelMet, "", "readOnlyRootFilesystem is not part of the standard")]
    public void Judges_the_pod_against_the_profile_level(string change, PodSecurityLevel level, string reason, string message, string why)
    {
        var snapshot = Snapshot();
        Changes[change](snapshot);

        var outcome = Evaluate(Control, snapshot, p => p.Runtime.Level = level);

        Assert.True(reason == outcome.Reason, $"{change} at {level} ({why}): got {outcome.Reason}: {outcome.Message}");
        if (message.Length > 0)
        {
            Assert.Equal(message, outcome.Message);
        }
    }

    [Fact]
    public void Bare_init_container_lists_every_restricted_field_sorted()
    {
        var snapshot = Snapshot();
        Changes["bare init container"](snapshot);

        var outcome = Evaluate(Control, snapshot);

        Assert.Equal(
            "init container fetch-weights: securityContext.allowPrivilegeEscalation must be false; "
            + "init container fetch-weights: securityContext.capabilities.drop must include ALL",
            outcome.Message);
    }

    [Fact]
    public void Baseline_reason_wins_when_both_levels_are_broken_and_the_message_lists_both()
    {
        var snapshot = Snapshot();
        Pod(snapshot).HostNetwork = true;
        Server(snapshot).SecurityContext.AllowPrivilegeEscalation = true;

        var outcome = Evaluate(Control, snapshot);

        Assert.Equal(Baseline, outcome.Reason);
        Assert.Equal("container server: securityContext.allowPrivilegeEscalation must be false; pod: spec.hostNetwork must be false", outcome.Message);
    }

    [Fact]
    public void Long_lists_are_capped_with_a_count_of_the_rest()
    {
        var containers = Enumerable.Range(1, 6).Select(i => new V1Container { Name = $"c{i}", Image = "busybox", SecurityContext = new V1SecurityContext { Privileged = true } }).ToArray();
        var snapshot = Snapshot(workload: Workload(containers));

        var outcome = Evaluate(Control, snapshot);

        Assert.EndsWith("; and 8 more", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(10, outcome.Message.Split("; ").Length - 1);
    }

    [Fact]
    public void Retired_model_pods_are_not_judged()
    {
        var outcome = Evaluate(Control, Snapshot(Deployment(LifecycleStage.Retirement)));

        Assert.Equal(ControlResult.NotApplicable, outcome.Result);
    }
}
