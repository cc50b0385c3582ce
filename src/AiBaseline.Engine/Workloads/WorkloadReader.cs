using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;
using static AiBaseline.Engine.JsonReading;

namespace AiBaseline.Engine.Workloads;

/// <summary>A workload object whose pod templates cannot be read: the field and what is wrong with it.</summary>
public sealed class WorkloadFormatException(string field, string message) : Exception(message)
{
    /// <summary>The field's path in the object, such as spec.predictor.containers[0].</summary>
    public string Field { get; } = field;
}

/// <summary>
/// Reads the pod templates of any workload kind from the object as JSON, the same for manifests and for the cluster.
/// Each template gets the labels the kind's controller puts on its pods (LeaderWorkerSet, KServe, KubeRay, Knative),
/// so NetworkPolicies written against those labels select them as they do in the cluster.
/// </summary>
public static class WorkloadReader
{
    // The fields of a KServe predictor that hold the model server's container (ModelSpec, and the older framework specs).
    private static readonly string[] KServeModelFields = ["model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "pmml", "lightgbm", "paddle", "huggingface"];

    /// <summary>The workload's state; throws <see cref="WorkloadFormatException"/> naming the field that cannot be read.</summary>
    public static WorkloadState Read(WorkloadKind kind, JsonObject obj)
    {
        var name = Text(obj["metadata"]?["name"]) ?? "";
        var spec = obj["spec"] as JsonObject ?? [];
        var meta = obj["metadata"] as JsonObject ?? [];
        return Templates(kind, name, obj, spec) with
        {
            RevisionHistoryLimit = kind is WorkloadKind.Deployment or WorkloadKind.StatefulSet or WorkloadKind.DaemonSet ? Int(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit") : null,
            GitOpsTracker = Gathering.GitOps.TrackerOf(Merge(meta["labels"], null), Merge(meta["annotations"], null)),
        };
    }

    private static WorkloadState Templates(WorkloadKind kind, string name, JsonObject obj, JsonObject spec)
    {
        return kind switch
        {
            WorkloadKind.Deployment or WorkloadKind.StatefulSet => Single(kind, name, Int(spec, "replicas", "spec.replicas"), Template(spec["template"], "spec.template")),
            WorkloadKind.DaemonSet => Single(kind, name, null, Template(spec["template"], "spec.template")),
            WorkloadKind.Job => Single(kind, name, Suspended(spec), Template(spec["template"], "spec.template")),
            WorkloadKind.CronJob => Single(kind, name, Suspended(spec), Template(spec["jobTemplate"]?["spec"]?["template"], "spec.jobTemplate.spec.template")),
            WorkloadKind.Pod => Single(kind, name, null, Template(new JsonObject { ["metadata"] = obj["metadata"]?.DeepClone(), ["spec"] = spec.DeepClone() }, "")),
            WorkloadKind.LeaderWorkerSet => LeaderWorkerSet(name, spec),
            WorkloadKind.InferenceService => InferenceService(name, obj, spec),
            WorkloadKind.RayCluster => WorkloadState.Of(kind, name, Suspended(spec), RayGroups(spec, "spec", name)),
            WorkloadKind.RayService => WorkloadState.Of(kind, name, null, RayGroups(spec["rayClusterConfig"] as JsonObject ?? [], "spec.rayClusterConfig", null)),
            WorkloadKind.Service => Single(kind, name, null, Labelled(Template(spec["template"], "spec.template"), ("serving.knative.dev/service", name))),
            _ => throw new WorkloadFormatException("kind", $"{kind} is not a workload kind"),
        };
    }

    private static WorkloadState Single(WorkloadKind kind, string name, int? replicas, V1PodTemplateSpec template) => new(kind, name, replicas, template);

    private static WorkloadState LeaderWorkerSet(string name, JsonObject spec)
    {
        var templates = spec["leaderWorkerTemplate"] as JsonObject ?? [];
        var label = ("leaderworkerset.sigs.k8s.io/name", name);
        var worker = Labelled(Template(templates["workerTemplate"], "spec.leaderWorkerTemplate.workerTemplate"), label);
        List<PodTemplate> parts = templates["leaderTemplate"] is { } leader
            ? [new("leader", Labelled(Template(leader, "spec.leaderWorkerTemplate.leaderTemplate"), label)), new("worker", worker)]
            : [new("", worker)]; // without a leader template the leader runs the worker template
        return WorkloadState.Of(WorkloadKind.LeaderWorkerSet, name, Int(spec, "replicas", "spec.replicas"), parts);
    }

    private static WorkloadState InferenceService(string name, JsonObject obj, JsonObject spec)
    {
        var meta = obj["metadata"] as JsonObject ?? [];
        var parts = new List<PodTemplate>();
        foreach (var component in new[] { "predictor", "transformer", "explainer" })
        {
            if (spec[component] is not JsonObject part)
            {
                continue;
            }

            parts.Add(new(component, KServeComponent(name, component, part, meta, $"spec.{component}")));
            if (part["workerSpec"] is JsonObject workers)
            {
                parts.Add(new(component + " worker", KServeComponent(name, component, workers, meta, $"spec.{component}.workerSpec")));
            }
        }

        return WorkloadState.Of(WorkloadKind.InferenceService, name, null, parts);
    }

    // A KServe component is a pod spec with the component's own fields beside it; its model server container is in
    // one of the model fields or in containers. KServe puts the service's and the component's labels on the pods.
    private static V1PodTemplateSpec KServeComponent(string name, string component, JsonObject part, JsonObject meta, string path)
    {
        var pod = Deserialize<V1PodSpec>(part, path);
        pod.Containers ??= [];
        foreach (var field in KServeModelFields)
        {
            if (part[field] is JsonObject model)
            {
                var container = Deserialize<V1Container>(model, $"{path}.{field}");
                container.Name ??= "kserve-container";
                pod.Containers.Insert(0, container);
            }
        }

        var labels = Merge(meta["labels"], part["labels"]);
        labels["serving.kserve.io/inferenceservice"] = name;
        labels["component"] = component;
        var annotations = Merge(meta["annotations"], part["annotations"]);
        return new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels, Annotations = annotations.Count == 0 ? null : annotations }, Spec = pod };
    }

    private static List<PodTemplate> RayGroups(JsonObject cluster, string path, string? clusterName)
    {
        var parts = new List<PodTemplate>();
        if (cluster["headGroupSpec"] is JsonObject head)
        {
            parts.Add(new("head", RayLabelled(Template(head["template"], $"{path}.headGroupSpec.template"), clusterName, "head", null)));
        }

        if (cluster["workerGroupSpecs"] is JsonArray groups)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var group = Text(groups[i]?["groupName"]) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parts.Add(new($"worker group {group}", RayLabelled(Template(groups[i]?["template"], $"{path}.workerGroupSpecs[{i}].template"), clusterName, "worker", group)));
            }
        }

        return parts;
    }

    private static V1PodTemplateSpec RayLabelled(V1PodTemplateSpec template, string? clusterName, string nodeType, string? group)
    {
        Labelled(template, ("ray.io/node-type", nodeType));
        if (clusterName is not null)
        {
            Labelled(template, ("ray.io/cluster", clusterName));
        }

        return group is null ? template : Labelled(template, ("ray.io/group", group));
    }

    private static V1PodTemplateSpec Labelled(V1PodTemplateSpec template, (string Key, string Value) label)
    {
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        template.Metadata.Labels.TryAdd(label.Key, label.Value);
        return template;
    }

    private static Dictionary<string, string> Merge(JsonNode? first, JsonNode? second)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { first, second })
        {
            foreach (var (key, value) in source as JsonObject ?? [])
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    merged[key] = text;
                }
            }
        }

        return merged;
    }

    private static V1PodTemplateSpec Template(JsonNode? node, string path) =>
        node is JsonObject template ? Deserialize<V1PodTemplateSpec>(template, path) : new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [] } };

    private static int? Suspended(JsonObject spec) => spec["suspend"] is JsonValue v && v.GetValueKind() == JsonValueKind.True ? 0 : null;

    private static int? Int(JsonObject spec, string field, string path) =>
        spec[field] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new WorkloadFormatException(path, "is not a whole number"),
        };

    private static T Deserialize<T>(JsonObject node, string path)
    {
        try
        {
            return KubernetesJson.Deserialize<T>(node.ToJsonString());
        }
        catch (NotSupportedException)
        {
            // The client library's IntOrString converter refuses a mapping or list where a port belongs.
            throw new WorkloadFormatException(path, "holds a value of the wrong type (a port or percentage must be a number or a string): fix the value");
        }
        catch (JsonException e)
        {
            var inner = (e.Path ?? "$").TrimStart('$').Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
            var field = (path + inner).TrimStart('.');
            throw new WorkloadFormatException(field, "has the wrong type: fix the value");
        }
    }
}
