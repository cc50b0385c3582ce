using k8s.Models;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>
/// The Pod Security Standard "restricted" checks, read field by field from a pod spec, plus a read-only root
/// filesystem (our own rule for the operator). Each violation names the field a user would fix.
/// </summary>
internal static class RestrictedPodStandard
{
    private static readonly HashSet<string> AllowedVolumeTypes =
        ["configMap", "downwardAPI", "emptyDir", "projected", "secret", "csi", "persistentVolumeClaim", "ephemeral", "image"];

    public static IReadOnlyList<string> Violations(V1PodSpec pod)
    {
        var violations = new List<string>();
        if (pod.HostNetwork == true) { violations.Add("spec.hostNetwork is true"); }
        if (pod.HostPID == true) { violations.Add("spec.hostPID is true"); }
        if (pod.HostIPC == true) { violations.Add("spec.hostIPC is true"); }

        foreach (var volume in pod.Volumes ?? [])
        {
            var type = VolumeType(volume);
            if (!AllowedVolumeTypes.Contains(type)) { violations.Add($"spec.volumes[{volume.Name}] is of type {type}"); }
        }

        var podContext = pod.SecurityContext;
        IEnumerable<(string Field, V1Container Container)> containers =
            [.. (pod.InitContainers ?? []).Select(c => ($"spec.initContainers[{c.Name}]", c)), .. pod.Containers.Select(c => ($"spec.containers[{c.Name}]", c))];
        foreach (var (field, container) in containers)
        {
            var context = container.SecurityContext;
            if (context?.Privileged == true) { violations.Add($"{field}.securityContext.privileged is true"); }
            if (context?.AllowPrivilegeEscalation != false) { violations.Add($"{field}.securityContext.allowPrivilegeEscalation is not false"); }
            if (context?.ReadOnlyRootFilesystem != true) { violations.Add($"{field}.securityContext.readOnlyRootFilesystem is not true"); }
            if (!(context?.Capabilities?.Drop ?? []).Contains("ALL")) { violations.Add($"{field}.securityContext.capabilities.drop does not hold ALL"); }
            foreach (var added in (context?.Capabilities?.Add ?? []).Where(c => c != "NET_BIND_SERVICE"))
            {
                violations.Add($"{field}.securityContext.capabilities.add holds {added}");
            }

            if ((context?.RunAsNonRoot ?? podContext?.RunAsNonRoot) != true) { violations.Add($"{field}: runAsNonRoot is not true"); }
            var user = context?.RunAsUser ?? podContext?.RunAsUser;
            if (user is null or 0) { violations.Add($"{field}: runAsUser is {(user is null ? "unset" : "0")}, so the kubelet cannot prove a non-root user"); }
            var seccomp = context?.SeccompProfile?.Type ?? podContext?.SeccompProfile?.Type;
            if (seccomp is not ("RuntimeDefault" or "Localhost")) { violations.Add($"{field}: seccompProfile.type is {seccomp ?? "unset"}"); }
            foreach (var port in (container.Ports ?? []).Where(p => p.HostPort is > 0))
            {
                violations.Add($"{field}.ports[{port.Name}].hostPort is {port.HostPort}");
            }
        }

        return violations;
    }

    private static string VolumeType(V1Volume volume) => volume switch
    {
        { ConfigMap: not null } => "configMap",
        { DownwardAPI: not null } => "downwardAPI",
        { EmptyDir: not null } => "emptyDir",
        { Projected: not null } => "projected",
        { Secret: not null } => "secret",
        { Csi: not null } => "csi",
        { PersistentVolumeClaim: not null } => "persistentVolumeClaim",
        { Ephemeral: not null } => "ephemeral",
        { Image: not null } => "image",
        { HostPath: not null } => "hostPath",
        _ => "another type",
    };
}
