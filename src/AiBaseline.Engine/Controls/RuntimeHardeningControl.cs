using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// RuntimeHardening: the model pods meet the Kubernetes Pod Security Standard level the profile asks for,
/// so a compromised model server cannot reach the node.
/// <list type="bullet">
/// <item>Reads the workload's pod template: <c>hostNetwork</c>, <c>hostPID</c>, <c>hostIPC</c>,
/// <c>securityContext</c> (runAsNonRoot, runAsUser, seccompProfile, appArmorProfile, seLinuxOptions,
/// sysctls, windowsOptions.hostProcess), <c>volumes</c>, the AppArmor annotations, and for every
/// container and init container <c>securityContext</c> (privileged, capabilities,
/// allowPrivilegeEscalation, runAsNonRoot, runAsUser, seccompProfile, appArmorProfile, seLinuxOptions,
/// procMount, windowsOptions.hostProcess) and <c>ports[*].hostPort</c>; profile <c>runtime.level</c>.</item>
/// <item>Level Baseline passes with no privileged or host-process containers, no host namespaces,
/// hostPath volumes or host ports, capabilities added only from the baseline set, only safe sysctls, the
/// default /proc mount, and seccomp, AppArmor and SELinux not switched off. Level Restricted also needs
/// runAsNonRoot true (pod or every container), runAsUser not 0, allowPrivilegeEscalation false,
/// capabilities dropping ALL and adding at most NET_BIND_SERVICE, seccomp RuntimeDefault or Localhost
/// (pod or every container) and only the restricted volume types. Level Privileged requires nothing.
/// readOnlyRootFilesystem is not part of the standard and is not required.</item>
/// <item>Serves EN 304 223 5.2.2-1 (protect the model's infrastructure) and 5.1.2-2 (withstand attacks
/// and failures).</item>
/// </list>
/// </summary>
public sealed class RuntimeHardeningControl : IControl
{
    /// <summary>The pods meet the profile's level.</summary>
    public const string LevelMetReason = "PodSecurityLevelMet";

    /// <summary>The profile's level is Privileged, which asks for nothing.</summary>
    public const string NotRequiredReason = "NotRequired";

    /// <summary>The pods break a rule of the Baseline level.</summary>
    public const string BaselineViolatedReason = "BaselineViolated";

    /// <summary>The pods meet Baseline but break a rule the Restricted level adds.</summary>
    public const string RestrictedViolatedReason = "RestrictedViolated";

    private const int MaxShown = 10;

    private static readonly string[] BaselineCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    private static readonly string[] SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    private static readonly string[] SeLinuxTypes = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public string Name => "RuntimeHardening";

    public string ConditionType => ConditionTypes.RuntimeHardened;

    public ImmutableArray<string> Provisions { get; } = ["5.2.2-1", "5.1.2-2"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var level = context.Profile.Runtime.Level;
        if (level == PodSecurityLevel.Privileged)
        {
            return ControlOutcome.Met(NotRequiredReason, "the profile's runtime.level is Privileged, so no Pod Security Standard level is required");
        }

        var template = context.Snapshot.Workload!.Template;
        var pod = template.Spec ?? new V1PodSpec();
        var findings = new FindingList(MaxShown);
        var restricted = level == PodSecurityLevel.Restricted;
        CheckPod(pod, template.Metadata?.Annotations, restricted, findings);
        foreach (var container in pod.InitContainers ?? [])
        {
            CheckContainer("init container " + container.Name, container, pod.SecurityContext, restricted, findings);
        }

        foreach (var container in pod.Containers ?? [])
        {
            CheckContainer("container " + container.Name, container, pod.SecurityContext, restricted, findings);
        }

        return findings.ToNotMet()
            ?? ControlOutcome.Met(LevelMetReason, $"the pods meet the Pod Security Standard {level} level");
    }

    private static void Baseline(FindingList findings, string message) => findings.Add(0, BaselineViolatedReason, message);

    private static void Restricted(FindingList findings, string message) => findings.Add(1, RestrictedViolatedReason, message);

    private static void CheckPod(V1PodSpec pod, IDictionary<string, string>? annotations, bool restricted, FindingList findings)
    {
        if (pod.HostNetwork == true)
        {
            Baseline(findings, "pod: spec.hostNetwork must be false");
        }

        if (pod.HostPID == true)
        {
            Baseline(findings, "pod: spec.hostPID must be false");
        }

        if (pod.HostIPC == true)
        {
            Baseline(findings, "pod: spec.hostIPC must be false");
        }

        var context = pod.SecurityContext;
        if (context is not null)
        {
            CheckShared("pod", context.WindowsOptions, context.SeLinuxOptions, context.SeccompProfile, context.AppArmorProfile, context.RunAsUser, restricted, findings);
            if (restricted && context.RunAsNonRoot == false)
            {
                Restricted(findings, "pod: securityContext.runAsNonRoot must not be false");
            }

            foreach (var sysctl in context.Sysctls ?? [])
            {
                if (!SafeSysctls.Contains(sysctl.Name, StringComparer.Ordinal))
                {
                    Baseline(findings, $"pod: securityContext.sysctls {sysctl.Name} is not a safe sysctl; remove it");
                }
            }
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.HostPath is not null)
            {
                Baseline(findings, $"volume {volume.Name}: hostPath volumes are not allowed; use a persistentVolumeClaim");
            }
            else if (restricted && !IsRestrictedVolume(volume))
            {
                Restricted(findings, $"volume {volume.Name}: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed");
            }
        }

        foreach (var (key, value) in annotations ?? ImmutableDictionary<string, string>.Empty)
        {
            if (key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal)
                && value != "runtime/default" && !value.StartsWith("localhost/", StringComparison.Ordinal))
            {
                Baseline(findings, $"container {key[AppArmorAnnotationPrefix.Length..]}: AppArmor annotation must be runtime/default or localhost/<profile>");
            }
        }
    }

    private static void CheckContainer(string label, V1Container container, V1PodSecurityContext? pod, bool restricted, FindingList findings)
    {
        var context = container.SecurityContext;
        if (context?.Privileged == true)
        {
            Baseline(findings, $"{label}: securityContext.privileged must be false");
        }

        if (context?.ProcMount is { } procMount && procMount != "Default")
        {
            Baseline(findings, $"{label}: securityContext.procMount must be Default");
        }

        var ports = container.Ports ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i].HostPort is { } hostPort && hostPort != 0)
            {
                Baseline(findings, $"{label}: ports[{i}].hostPort must be unset or 0");
            }
        }

        if (context is not null)
        {
            CheckShared(label, context.WindowsOptions, context.SeLinuxOptions, context.SeccompProfile, context.AppArmorProfile, context.RunAsUser, restricted, findings);
        }

        CheckCapabilities(label, context?.Capabilities, restricted, findings);
        if (!restricted)
        {
            return;
        }

        if (context?.AllowPrivilegeEscalation != false)
        {
            Restricted(findings, $"{label}: securityContext.allowPrivilegeEscalation must be false");
        }

        if (context?.RunAsNonRoot == false)
        {
            Restricted(findings, $"{label}: securityContext.runAsNonRoot must not be false");
        }
        else if (context?.RunAsNonRoot is null && pod?.RunAsNonRoot != true)
        {
            Restricted(findings, $"{label}: securityContext.runAsNonRoot must be true, here or in the pod's securityContext");
        }

        if (context?.SeccompProfile?.Type is null && !IsRestrictedSeccomp(pod?.SeccompProfile?.Type))
        {
            Restricted(findings, $"{label}: securityContext.seccompProfile.type must be RuntimeDefault or Localhost, here or in the pod's securityContext");
        }
    }

    /// <summary>Fields the pod and container security contexts share; <paramref name="label"/> is "pod" or the container.</summary>
    private static void CheckShared(
        string label,
        V1WindowsSecurityContextOptions? windows,
        V1SELinuxOptions? seLinux,
        V1SeccompProfile? seccomp,
        V1AppArmorProfile? appArmor,
        long? runAsUser,
        bool restricted,
        FindingList findings)
    {
        if (windows?.HostProcess == true)
        {
            Baseline(findings, $"{label}: securityContext.windowsOptions.hostProcess must not be true");
        }

        if (seLinux is not null)
        {
            if (!string.IsNullOrEmpty(seLinux.Type) && !SeLinuxTypes.Contains(seLinux.Type, StringComparer.Ordinal))
            {
                Baseline(findings, $"{label}: securityContext.seLinuxOptions.type must be unset or one of {string.Join(", ", SeLinuxTypes)}");
            }

            if (!string.IsNullOrEmpty(seLinux.User) || !string.IsNullOrEmpty(seLinux.Role))
            {
                Baseline(findings, $"{label}: securityContext.seLinuxOptions.user and role must be unset");
            }
        }

        if (seccomp?.Type == "Unconfined")
        {
            Baseline(findings, $"{label}: securityContext.seccompProfile.type must not be Unconfined");
        }
        else if (restricted && seccomp?.Type is { } type && !IsRestrictedSeccomp(type))
        {
            Restricted(findings, $"{label}: securityContext.seccompProfile.type must be RuntimeDefault or Localhost");
        }

        if (appArmor?.Type == "Unconfined")
        {
            Baseline(findings, $"{label}: securityContext.appArmorProfile.type must not be Unconfined");
        }

        if (restricted && runAsUser == 0)
        {
            Restricted(findings, $"{label}: securityContext.runAsUser must not be 0");
        }
    }

    private static void CheckCapabilities(string label, V1Capabilities? capabilities, bool restricted, FindingList findings)
    {
        foreach (var added in capabilities?.Add ?? [])
        {
            if (!BaselineCapabilities.Contains(added, StringComparer.Ordinal))
            {
                Baseline(findings, $"{label}: securityContext.capabilities.add must not hold {added}");
            }
            else if (restricted && added != "NET_BIND_SERVICE")
            {
                Restricted(findings, $"{label}: securityContext.capabilities.add may hold only NET_BIND_SERVICE, not {added}");
            }
        }

        if (restricted && !(capabilities?.Drop?.Contains("ALL") ?? false))
        {
            Restricted(findings, $"{label}: securityContext.capabilities.drop must include ALL");
        }
    }

    private static bool IsRestrictedSeccomp(string? type) => type is "RuntimeDefault" or "Localhost";

    private static bool IsRestrictedVolume(V1Volume volume) =>
        volume.ConfigMap is not null || volume.Csi is not null || volume.DownwardAPI is not null || volume.EmptyDir is not null
        || volume.Ephemeral is not null || volume.PersistentVolumeClaim is not null || volume.Projected is not null || volume.Secret is not null;
}
