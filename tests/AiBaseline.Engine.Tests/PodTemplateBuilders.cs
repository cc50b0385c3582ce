using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using k8s.Models;

namespace AiBaseline.Engine.Tests;

/// <summary>Builders for control tests that change the default compliant pod template one field at a time.</summary>
internal static class PodTemplateBuilders
{
    /// <summary>Runs one control on <paramref name="snapshot"/> under the default profile, changed by <paramref name="profile"/>.</summary>
    public static ControlOutcome Evaluate(IControl control, Snapshot snapshot, Action<BaselineProfileSpec>? profile = null) =>
        control.Evaluate(new EvaluationContext(snapshot, Builders.Profile(profile).Spec, Builders.Now));

    /// <summary>The pod spec of the snapshot's workload.</summary>
    public static V1PodSpec Pod(Snapshot snapshot) => snapshot.Workload!.Template.Spec;

    /// <summary>The first regular container, named "server" by default.</summary>
    public static V1Container Server(Snapshot snapshot) => Pod(snapshot).Containers[0];

    /// <summary>Adds an env variable with a literal value to <paramref name="container"/>.</summary>
    public static void AddEnv(V1Container container, string name, string value) =>
        (container.Env ??= []).Add(new V1EnvVar { Name = name, Value = value });

    /// <summary>Adds an env variable taken from a key of a Secret.</summary>
    public static void AddSecretEnv(V1Container container, string name, string secret, bool? optional = null) =>
        (container.Env ??= []).Add(new V1EnvVar
        {
            Name = name,
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = "token", Optional = optional } },
        });

    /// <summary>Secret metadata as the operator lists it: name and type only.</summary>
    public static SecretMetadata Secret(string name) => new(name, "Opaque");

    /// <summary>A ConfigMap of the builders' namespace with the given data.</summary>
    public static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Builders.Namespace },
        Data = data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
    };

    /// <summary>Mounts ConfigMap <paramref name="name"/> as a volume of the pod.</summary>
    public static void MountConfigMap(Snapshot snapshot, string name) =>
        (Pod(snapshot).Volumes ??= []).Add(new V1Volume { Name = name, ConfigMap = new V1ConfigMapVolumeSource { Name = name } });
}
