using System.Text.Json;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using k8s;
using k8s.Models;

namespace AiBaseline.Admission;

/// <summary>What the webhook reads from the cluster: the operator's informer caches, or a fake in tests.</summary>
internal interface IAdmissionState
{
    /// <summary>The AIModelDeployment whose spec.workloadRef names this workload, if any.</summary>
    AIModelDeployment? GoverningDeployment(string ns, WorkloadKind kind, string name);

    /// <summary>The cluster-scoped BaselineProfile of this name.</summary>
    BaselineProfile? Profile(string name);

    /// <summary>A ServiceAccount, read for its automountServiceAccountToken.</summary>
    V1ServiceAccount? ServiceAccount(string ns, string name);

    /// <summary>The workload an AIModelDeployment names, as it is now.</summary>
    WorkloadState? WorkloadOf(AIModelDeployment deployment);
}

/// <summary>An object the webhook judges: a workload's pod template or an AIModelDeployment, with the deployment that governs it and its profile.</summary>
/// <param name="Kind">The kind as the user wrote it: Deployment, StatefulSet, Pod or AIModelDeployment.</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Name">The object's name (or generateName on a create).</param>
/// <param name="Deployment">The AIModelDeployment: the governing one, or the object itself.</param>
/// <param name="Profile">Its BaselineProfile.</param>
/// <param name="Workload">The pod template judged; for an AIModelDeployment, its workload as the cluster has it.</param>
/// <param name="IsModelDeployment">Whether the object is the AIModelDeployment itself (its models are judged) rather than a workload (its pods are).</param>
internal sealed record AdmissionSubject(
    string Kind,
    string Namespace,
    string Name,
    AIModelDeployment Deployment,
    BaselineProfile Profile,
    WorkloadState? Workload,
    bool IsModelDeployment)
{
    /// <summary>How messages name the object.</summary>
    public string Describe() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>Why a request is admitted without being judged, as the metrics and logs name it.</summary>
internal enum Skip
{
    None,
    NotJudgedOperation,
    SubResource,
    ExcludedNamespace,
    NotGovernedKind,
    NotGoverned,
    Unchanged,
}

/// <summary>Finds what a request is about, from the request alone and the caches; no IO.</summary>
internal static class AdmissionSubjects
{
    private const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The subject of <paramref name="request"/>, or null with why it is not judged.</summary>
    /// <exception cref="MalformedReviewException">request.object does not deserialize as its kind.</exception>
    public static (AdmissionSubject? Subject, Skip Skip) Of(AdmissionRequest request, IAdmissionState state, IReadOnlySet<string> excludedNamespaces)
    {
        if (request.Operation is not ("CREATE" or "UPDATE"))
        {
            return (null, Skip.NotJudgedOperation);
        }

        if (request.SubResource.Length > 0)
        {
            return (null, Skip.SubResource);
        }

        if (excludedNamespaces.Contains(request.Namespace))
        {
            return (null, Skip.ExcludedNamespace);
        }

        var (kind, judged) = (request.Group, request.Kind) switch
        {
            ("apps", "Deployment") => (request.Kind, "spec.template"),
            ("apps", "StatefulSet") => (request.Kind, "spec.template"),
            ("", "Pod") => (request.Kind, "spec"),
            (ApiGroup.Group, ApiGroup.AIModelDeploymentKind) => (request.Kind, "spec"),
            _ => (null, null),
        };
        if (kind is null || judged is null)
        {
            return (null, Skip.NotGovernedKind);
        }

        if (request.Operation == "UPDATE" && request.OldObject.ValueKind == JsonValueKind.Object && Unchanged(request.Object, request.OldObject, judged))
        {
            return (null, Skip.Unchanged);
        }

        return kind switch
        {
            "Deployment" => Workload(request, state, WorkloadKind.Deployment, Read<V1Deployment>(request) is var d ? (d.Metadata, d.Spec?.Replicas, d.Spec?.Template) : default),
            "StatefulSet" => Workload(request, state, WorkloadKind.StatefulSet, Read<V1StatefulSet>(request) is var s ? (s.Metadata, s.Spec?.Replicas, s.Spec?.Template) : default),
            "Pod" => Pod(request, state, Read<V1Pod>(request)),
            _ => ModelDeployment(request, state, Read<AIModelDeployment>(request)),
        };
    }

    private static (AdmissionSubject?, Skip) Workload(
        AdmissionRequest request, IAdmissionState state, WorkloadKind kind, (V1ObjectMeta? Metadata, int? Replicas, V1PodTemplateSpec? Template) workload)
    {
        var name = NameOf(request, workload.Metadata);
        if (state.GoverningDeployment(request.Namespace, kind, name) is not { } governing)
        {
            return (null, Skip.NotGoverned);
        }

        var template = workload.Template ?? new V1PodTemplateSpec();
        return WithProfile(state, governing, profile => new AdmissionSubject(request.Kind, request.Namespace, name, governing, profile, new WorkloadState(kind, name, workload.Replicas, template), false));
    }

    /// <summary>A Pod is governed through its controller: a ReplicaSet named after its Deployment, or a StatefulSet.</summary>
    private static (AdmissionSubject?, Skip) Pod(AdmissionRequest request, IAdmissionState state, V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        (WorkloadKind Kind, string Name)? workload = owner switch
        {
            { ApiVersion: "apps/v1", Kind: "StatefulSet" } => (WorkloadKind.StatefulSet, owner.Name),
            { ApiVersion: "apps/v1", Kind: "ReplicaSet" } when pod.Metadata?.Labels?.TryGetValue(PodTemplateHashLabel, out var hash) == true
                && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal) => (WorkloadKind.Deployment, owner.Name[..^(hash.Length + 1)]),
            _ => null,
        };
        if (workload is not { } w || state.GoverningDeployment(request.Namespace, w.Kind, w.Name) is not { } governing)
        {
            return (null, Skip.NotGoverned);
        }

        var name = NameOf(request, pod.Metadata);
        var template = new V1PodTemplateSpec { Metadata = pod.Metadata, Spec = pod.Spec };
        return WithProfile(state, governing, profile => new AdmissionSubject(request.Kind, request.Namespace, name, governing, profile, new WorkloadState(w.Kind, w.Name, 1, template), false));
    }

    private static (AdmissionSubject?, Skip) ModelDeployment(AdmissionRequest request, IAdmissionState state, AIModelDeployment deployment)
    {
        deployment.Metadata ??= new V1ObjectMeta();
        deployment.Metadata.NamespaceProperty ??= request.Namespace;
        deployment.Spec ??= new AIModelDeploymentSpec();
        var name = NameOf(request, deployment.Metadata);
        return WithProfile(state, deployment, profile => new AdmissionSubject(request.Kind, request.Namespace, name, deployment, profile, state.WorkloadOf(deployment), true));
    }

    /// <summary>A deployment whose profile does not exist is not judged: the operator's status says it is stalled.</summary>
    private static (AdmissionSubject?, Skip) WithProfile(IAdmissionState state, AIModelDeployment deployment, Func<BaselineProfile, AdmissionSubject> subject) =>
        state.Profile(BaselineEngine.ProfileName(deployment)) is { Spec: not null } profile ? (subject(profile), Skip.None) : (null, Skip.NotGoverned);

    private static string NameOf(AdmissionRequest request, V1ObjectMeta? metadata) =>
        metadata?.Name is { Length: > 0 } name ? name
        : request.Name.Length > 0 ? request.Name
        : metadata?.GenerateName ?? "";

    /// <summary>An update that leaves the judged part as it was (a scale, a label, a finalizer, a GitOps re-apply) is never judged again.</summary>
    private static bool Unchanged(JsonElement current, JsonElement old, string path)
    {
        var a = current;
        var b = old;
        foreach (var step in path.Split('.'))
        {
            var hasA = a.ValueKind == JsonValueKind.Object && a.TryGetProperty(step, out a);
            var hasB = b.ValueKind == JsonValueKind.Object && b.TryGetProperty(step, out b);
            if (hasA != hasB)
            {
                return false;
            }

            if (!hasA)
            {
                return true;
            }
        }

        return JsonElement.DeepEquals(a, b);
    }

    private static T Read<T>(AdmissionRequest request)
    {
        try
        {
            return KubernetesJson.Deserialize<T>(request.Object) ?? throw new MalformedReviewException($"request.object is null for {request.Kind}");
        }
        catch (JsonException e)
        {
            throw new MalformedReviewException($"request.object is not a valid {request.Kind}: {e.Path}: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new MalformedReviewException($"request.object is not a valid {request.Kind}: {e.Message}");
        }
    }
}
