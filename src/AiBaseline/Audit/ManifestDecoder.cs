using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Workloads;
using k8s;
using k8s.Models;

namespace AiBaseline.Audit;

/// <summary>
/// Decodes the objects the audit understands; other kinds are ignored. aibaseline.io objects are checked strictly
/// against their schema. Secrets are reduced to name and type straight from the YAML: their data is never converted
/// or printed, and kept only for <c>--verify</c>, which reads the <c>.dockerconfigjson</c> of image pull secrets to log
/// in to registries. Decoding and filing are apart: <see cref="Add"/> does the decoding, which needs nothing but the
/// object, and <see cref="FileInto"/> files the results in a <see cref="ManifestSet"/> in input order once the
/// namespace of objects that name none is known, so parts of a large input can be decoded side by side.
/// </summary>
public sealed class ManifestDecoder(List<InputProblem> problems, bool keepPullSecrets = false)
{
    // What Add decoded, in input order: each files one object, given the namespace of objects that name none.
    private readonly List<Action<ManifestSet, string>> decoded = [];

    // The JSON of the object being decoded; one buffer serves every object of this decoder, which runs on one thread.
    private readonly ArrayBufferWriter<byte> jsonBuffer = new(4096);

    /// <summary>Files what was decoded, in input order, into <paramref name="set"/>.</summary>
    public void FileInto(ManifestSet set, string defaultNamespace)
    {
        foreach (var file in decoded)
        {
            file(set, defaultNamespace);
        }
    }

    /// <summary>Decodes one object.</summary>
    public void Add(ManifestDocument document)
    {
        var node = document.Node;
        var apiVersion = YamlDocuments.Scalar(node, "apiVersion");
        var kind = YamlDocuments.Scalar(node, "kind");
        var name = YamlDocuments.Mapping(node, "metadata") is { } meta ? YamlDocuments.Scalar(meta, "name") : null;
        var label = $"{(string.IsNullOrEmpty(kind) ? "object" : kind)}/{name ?? "(no name)"}";
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            var field = string.IsNullOrEmpty(apiVersion) ? "apiVersion" : "kind";
            problems.Add(new InputProblem(document.File, document.Line, label, field, "is missing: every object needs apiVersion and kind"));
            return;
        }

        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        if (group == ApiGroup.Group)
        {
            AddOwn(document, apiVersion, kind, label);
            return;
        }

        if (!IsKnown(group, kind))
        {
            if (IsUnreadNetworkPolicy(kind) && !string.IsNullOrEmpty(name))
            {
                var written = YamlDocuments.Scalar(YamlDocuments.Mapping(node, "metadata")!, "namespace");
                var clusterScoped = IsClusterScopedPolicy(kind);
                decoded.Add((set, defaultNamespace) =>
                {
                    var policyNamespace = clusterScoped ? null : written is { Length: > 0 } ? written : defaultNamespace;
                    set.Index.AddUnreadPolicy(policyNamespace, $"{apiVersion} {kind} {(policyNamespace is null ? "" : policyNamespace + "/")}{name}");
                });
            }

            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            problems.Add(new InputProblem(document.File, document.Line, label, "metadata.name", "is missing: every object needs a name"));
            return;
        }

        var ns = new Namespace(YamlDocuments.Scalar(YamlDocuments.Mapping(node, "metadata")!, "namespace"));
        if (kind == "Secret")
        {
            var secret = new Engine.SecretMetadata(name, YamlDocuments.Scalar(node, "type"));
            decoded.Add((set, defaultNamespace) => set.Index.AddSecret(ns.Or(defaultNamespace), secret));
            if (keepPullSecrets && secret.Type == PullSecrets.DockerConfigJsonType && PullSecrets.Read(document, label, problems) is { } config)
            {
                decoded.Add((set, defaultNamespace) => set.Index.AddPullSecret(ns.Or(defaultNamespace), name, config));
            }

            return;
        }

        if (WorkloadTypes.Of(group, kind) is { } workloadType && workloadType.Kind is not (WorkloadKind.Deployment or WorkloadKind.StatefulSet))
        {
            AddWorkload(document, workloadType, ns, label);
            return;
        }

        AddKubernetes(document, kind, ns, label);
    }

    // Workloads beyond Deployment and StatefulSet, built-in or from a serving stack's CRD: their pod templates are read
    // by the same reader the operator uses on the objects it watches.
    private void AddWorkload(ManifestDocument document, WorkloadType type, Namespace ns, string label)
    {
        var before = problems.Count;
        KubernetesQuantities.Check(document.Node, (field, line, message) => problems.Add(new InputProblem(document.File, line + document.LineOffset, label, field, message)));
        if (problems.Count > before)
        {
            return;
        }

        var json = YamlToJson.Convert(document.Node) as JsonObject ?? [];
        if (!NoEmptyListItems(document, json, label))
        {
            return;
        }

        try
        {
            decoded.Add(FileWorkload(ns, WorkloadReader.Read(type.Kind, json), Owned(json), document.File, document.Line));
        }
        catch (WorkloadFormatException e)
        {
            problems.Add(new InputProblem(document.File, LineOf(document, e.Field), label, e.Field, e.Message + " for a " + type.ObjectKind));
        }
        catch (FormatException)
        {
            problems.Add(new InputProblem(document.File, document.Line, label, null, $"a resource quantity cannot be read: {KubernetesQuantities.Advice}"));
        }
    }

    private static Action<ManifestSet, string> FileWorkload(Namespace ns, WorkloadState workload, bool owned, string file, int line) =>
        (set, defaultNamespace) => set.Index.AddWorkload(ns.Or(defaultNamespace), workload, owned, file, line);

    // A dash with nothing after it is a null list item; Kubernetes' typed lists have no place for one, and the
    // controls would trip over it.
    private bool NoEmptyListItems(ManifestDocument document, JsonNode node, string label)
    {
        var before = problems.Count;
        void Walk(JsonNode? current, string path)
        {
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        Walk(value, path.Length == 0 ? key : $"{path}.{key}");
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is null)
                        {
                            problems.Add(new InputProblem(document.File, LineOf(document, path), label, $"{path}[{i}]", "is an empty list item: fill it in or remove the dash"));
                        }
                        else
                        {
                            Walk(array[i], $"{path}[{i}]");
                        }
                    }

                    break;
            }
        }

        Walk(node, "");
        return problems.Count == before;
    }

    private static string? WrongTypePath(NotSupportedException e) =>
        System.Text.RegularExpressions.Regex.Match(e.Message, @"Path: \$\.?(\S+?)(?: \||$)") is { Success: true } match ? JsonPath("$." + match.Groups[1].Value) : null;

    // An object another controls (a Pod of a Job, a Deployment KServe made) is part of its owner, not a workload of its own.
    private static bool Owned(JsonObject json) =>
        json["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => o?["controller"] is JsonValue v && v.GetValueKind() == JsonValueKind.True);

    private static bool IsKnown(string group, string kind) => WorkloadTypes.Of(group, kind) is not null || (group, kind) switch
    {
        ("networking.k8s.io", "NetworkPolicy") => true,
        ("cilium.io", CiliumNetworkPolicy.NamespacedKind or CiliumNetworkPolicy.ClusterwideKind) => true,
        ("", "Secret" or "ConfigMap" or "ServiceAccount" or "Service" or "PersistentVolumeClaim") => true,
        ("rbac.authorization.k8s.io", "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding") => true,
        ("networking.k8s.io", "Ingress") or ("gateway.networking.k8s.io", "HTTPRoute" or "GRPCRoute") => true,
        ("gateway.envoyproxy.io", "BackendTrafficPolicy") or ("configuration.konghq.com", "KongPlugin") => true,
        (MonitoringReader.Group, "ServiceMonitor" or "PodMonitor" or "PrometheusRule") or (VulnerabilityReportReader.Group, "VulnerabilityReport") => true,
        _ => false,
    };

    /// <summary>
    /// A network policy of another implementation (Calico, Antrea, the AdminNetworkPolicy API, Cilium's other versions):
    /// not read, but named in NetworkIsolation's message so its effect is not taken for granted either way.
    /// </summary>
    private static bool IsUnreadNetworkPolicy(string kind) =>
        kind.EndsWith("NetworkPolicy", StringComparison.Ordinal) || kind.EndsWith("NetworkPolicies", StringComparison.Ordinal);

    private static bool IsClusterScopedPolicy(string kind) =>
        kind is "GlobalNetworkPolicy" or "StagedGlobalNetworkPolicy" or "ClusterNetworkPolicy" or "AdminNetworkPolicy" or "BaselineAdminNetworkPolicy"
            or CiliumNetworkPolicy.ClusterwideKind;

    private void AddKubernetes(ManifestDocument document, string kind, Namespace ns, string label)
    {
        var before = problems.Count;
        KubernetesQuantities.Check(document.Node, (field, line, message) => problems.Add(new InputProblem(document.File, line + document.LineOffset, label, field, message)));
        if (problems.Count > before)
        {
            return;
        }

        // Most kinds go from YAML straight to JSON text; the few that ExposureReader reads as a tree, and YAML that a
        // plain write would render differently, go through the tree as they always did.
        var json = jsonBuffer;
        json.ResetWrittenCount();
        JsonNode? converted = null;
        if (kind is "Service" or "Ingress" or "HTTPRoute" or "GRPCRoute" or "BackendTrafficPolicy" or "KongPlugin" or "ServiceMonitor" or "PodMonitor" or "PrometheusRule" or "VulnerabilityReport"
            || !TryWriteJson(document.Node, json))
        {
            converted = YamlToJson.Convert(document.Node)!;
            if (!NoEmptyListItems(document, converted, label))
            {
                return;
            }

            json.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(json);
            converted.WriteTo(writer);
        }

        try
        {
            decoded.Add(Decode(kind, ns, json.WrittenSpan, converted, document.File, document.Line));
        }
        catch (JsonException e)
        {
            var field = JsonPath(e.Path);
            problems.Add(new InputProblem(document.File, LineOf(document, field), label, field, "has the wrong type for a " + kind + ": fix the value"));
        }
        catch (NotSupportedException e) when (WrongTypePath(e) is { } path)
        {
            // The client library's IntOrString converter refuses a mapping or list where a port or percentage belongs.
            problems.Add(new InputProblem(document.File, LineOf(document, path), label, path, "has the wrong type for a " + kind + ": fix the value"));
        }
        catch (FormatException)
        {
            // The quantity check above follows the Kubernetes grammar; this catches any value it lets through that the client library still refuses.
            problems.Add(new InputProblem(document.File, document.Line, label, null, $"a resource quantity cannot be read: {KubernetesQuantities.Advice}"));
        }
    }

    // Decodes one Kubernetes object now and returns how to file it; what depends on the namespace of objects that name
    // none (ExposureReader keys routes and policies by it) waits for the filing.
    private static Action<ManifestSet, string> Decode(string kind, Namespace ns, ReadOnlySpan<byte> json, JsonNode? converted, string file, int line)
    {
        switch (kind)
        {
            case "Deployment":
                var deployment = JsonSerializer.Deserialize<V1Deployment>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddDeployment(ns.Or(d), deployment, file, line);
            case "StatefulSet":
                var statefulSet = JsonSerializer.Deserialize<V1StatefulSet>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddStatefulSet(ns.Or(d), statefulSet, file, line);
            case "NetworkPolicy":
                var policy = JsonSerializer.Deserialize<V1NetworkPolicy>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddNetworkPolicy(ns.Or(d), policy);
            case CiliumNetworkPolicy.NamespacedKind or CiliumNetworkPolicy.ClusterwideKind:
                var cilium = JsonSerializer.Deserialize<CiliumNetworkPolicy>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddCiliumPolicy(ns.Or(d), cilium);
            case "ConfigMap":
                var configMap = JsonSerializer.Deserialize<V1ConfigMap>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddConfigMap(ns.Or(d), configMap);
            case "ServiceAccount":
                var account = JsonSerializer.Deserialize<V1ServiceAccount>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddServiceAccount(ns.Or(d), account);
            case "Service":
                var serviceName = JsonSerializer.Deserialize<V1Service>(json, KubernetesJsonOptions.Shared)!.Metadata.Name;
                var exposed = ExposureReader.Service(converted!.AsObject());
                return (set, d) =>
                {
                    set.Index.AddService(ns.Or(d), serviceName);
                    set.Index.AddExposedService(ns.Or(d), exposed);
                };
            case "Ingress" or "HTTPRoute" or "GRPCRoute":
                var route = converted!.AsObject();
                return (set, d) => set.Index.AddRoute(ns.Or(d), ExposureReader.Route(kind, ns.Or(d), route));
            case "BackendTrafficPolicy" or "KongPlugin":
                var limit = converted!.AsObject();
                return (set, d) => set.Index.AddRateLimitPolicy(ns.Or(d), ExposureReader.Policy(kind, ns.Or(d), limit));
            case "ServiceMonitor" or "PodMonitor":
                var monitor = converted!.AsObject();
                return (set, d) => set.Index.AddMonitor(MonitoringReader.Monitor(kind, ns.Or(d), monitor));
            case "PrometheusRule":
                var rules = converted!.AsObject();
                return (set, d) => set.Index.AddAlertRules(MonitoringReader.Rules(ns.Or(d), rules));
            case "VulnerabilityReport":
                var report = converted!.AsObject();
                return (set, d) => set.Index.AddVulnerabilityReport(VulnerabilityReportReader.Read(ns.Or(d), report));
            case "PersistentVolumeClaim":
                var claim = JsonSerializer.Deserialize<V1PersistentVolumeClaim>(json, KubernetesJsonOptions.Shared)!.Metadata.Name;
                return (set, d) => set.Index.AddPersistentVolumeClaim(ns.Or(d), claim);
            case "Role":
                var role = JsonSerializer.Deserialize<V1Role>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddRole(ns.Or(d), role);
            case "RoleBinding":
                var binding = JsonSerializer.Deserialize<V1RoleBinding>(json, KubernetesJsonOptions.Shared)!;
                return (set, d) => set.Index.AddRoleBinding(ns.Or(d), binding);
            case "ClusterRole":
                var clusterRole = JsonSerializer.Deserialize<V1ClusterRole>(json, KubernetesJsonOptions.Shared)!;
                return (set, _) => set.Index.AddClusterRole(clusterRole);
            case "ClusterRoleBinding":
                var clusterBinding = JsonSerializer.Deserialize<V1ClusterRoleBinding>(json, KubernetesJsonOptions.Shared)!;
                return (set, _) => set.Index.AddClusterRoleBinding(clusterBinding);
            default:
                return (_, _) => { };
        }
    }

    private static bool TryWriteJson(YamlDotNet.RepresentationModel.YamlNode node, ArrayBufferWriter<byte> json)
    {
        using var writer = new Utf8JsonWriter(json);
        try
        {
            return YamlToJson.TryWrite(node, writer) && Flushed(writer);
        }
        catch (InvalidOperationException)
        {
            return false; // deeper than a JSON writer goes: the tree's path reports it as it always did
        }
    }

    private static bool Flushed(Utf8JsonWriter writer)
    {
        writer.Flush();
        return true;
    }

    /// <summary>The namespace an object names; objects that name none take the audit's default when filed.</summary>
    private readonly record struct Namespace(string? Written)
    {
        public string Or(string defaultNamespace) => Written is { Length: > 0 } written ? written : defaultNamespace;
    }

    private void AddOwn(ManifestDocument document, string apiVersion, string kind, string label)
    {
        if (apiVersion != ApiGroup.GroupVersion)
        {
            problems.Add(new InputProblem(document.File, document.Line, label, "apiVersion", $"\"{apiVersion}\" is not supported: use {ApiGroup.GroupVersion}"));
            return;
        }

        var type = kind switch
        {
            ApiGroup.AIModelDeploymentKind => typeof(AIModelDeploymentSpec),
            ApiGroup.BaselineProfileKind => typeof(BaselineProfileSpec),
            ApiGroup.BaselineExceptionKind => typeof(BaselineExceptionSpec),
            ApiGroup.RetirementRecordKind => typeof(RetirementRecordSpec),
            _ => null,
        };
        if (type is null)
        {
            problems.Add(new InputProblem(document.File, document.Line, label, "kind", $"\"{kind}\" is not a kind of {ApiGroup.Group}: use {ApiGroup.AIModelDeploymentKind}, {ApiGroup.BaselineProfileKind}, {ApiGroup.BaselineExceptionKind} or {ApiGroup.RetirementRecordKind}"));
            return;
        }

        var json = YamlToJson.Convert(document.Node)!.AsObject();
        // The audit computes status itself; a status copied from the cluster is ignored, but for the verdict history
        // the operator recorded there, which no evaluation can recompute: the report shows it as the audit trail.
        var recorded = kind == ApiGroup.AIModelDeploymentKind && json["status"]?["history"] is JsonArray history
            ? new JsonObject { ["history"] = history.DeepClone() }
            : null;
        json.Remove("status");
        var before = problems.Count;
        void Report(string field, string message) => problems.Add(new InputProblem(document.File, LineOf(document, field), label, field, message));

        if (json["metadata"] is not (null or JsonObject))
        {
            Report("metadata", "is not a mapping: write name (and namespace) under it");
        }
        else if (json["metadata"]?["name"] is null)
        {
            Report("metadata.name", "is missing: every object needs a name");
        }

        if (kind == ApiGroup.AIModelDeploymentKind && json["spec"] is null)
        {
            Report("spec.stage", "required field is missing: set one of " + string.Join(", ", Enum.GetNames<LifecycleStage>()));
        }
        else if (kind == ApiGroup.BaselineExceptionKind && json["spec"] is null)
        {
            Report("spec", "required field is missing: set justification, approvedBy, ticket, expiresAt and what is waived");
        }
        else if (kind == ApiGroup.RetirementRecordKind && json["spec"] is null)
        {
            Report("spec", "required field is missing: a RetirementRecord is written by the operator; export it whole with kubectl get retirementrecords -o yaml");
        }

        // An empty value (null) is dropped, as the API server drops it from a field that is not nullable: the field is
        // then unset, and takes its default or is reported missing when it is required.
        DropNulls(json["spec"]);
        StrictSchema.Check(json["spec"], type, "spec", Report);
        if (recorded is not null)
        {
            StrictSchema.Check(recorded, typeof(AIModelDeploymentStatus), "status", Report);
            json["status"] = recorded;
        }

        foreach (var (key, _) in json)
        {
            if (key is not ("apiVersion" or "kind" or "metadata" or "spec" or "status"))
            {
                Report(key, "unknown field: remove it (known fields: apiVersion, kind, metadata, spec)");
            }
        }

        if (problems.Count > before)
        {
            return;
        }

        var text = json.ToJsonString();
        try
        {
            decoded.Add(DecodeOwn(kind, text, document.File, document.Line));
        }
        catch (JsonException e)
        {
            // What the schema check lets through, such as an empty value (null) where a boolean or number is required.
            var field = JsonPath(e.Path);
            Report(field, "is empty or has the wrong type: set a value of the type the field takes");
        }
    }

    // Decodes one of the product's own objects; what is filed holds the object, its file and its line, never the YAML it was
    // read from, which is dropped as soon as its part of the input is decoded.
    private static Action<ManifestSet, string> DecodeOwn(string kind, string text, string file, int line)
    {
        if (kind == ApiGroup.AIModelDeploymentKind)
        {
            var deployment = KubernetesJson.Deserialize<AIModelDeployment>(text);
            return (set, defaultNamespace) =>
            {
                deployment.Metadata.NamespaceProperty ??= defaultNamespace;
                set.Deployments.Add(new Located<AIModelDeployment>(deployment, file, line));
            };
        }

        if (kind == ApiGroup.BaselineExceptionKind)
        {
            var waiver = KubernetesJson.Deserialize<BaselineException>(text);
            return (set, defaultNamespace) =>
            {
                waiver.Metadata.NamespaceProperty ??= defaultNamespace;
                set.Waivers.Add(new Located<BaselineException>(waiver, file, line));
            };
        }

        if (kind == ApiGroup.RetirementRecordKind)
        {
            var record = KubernetesJson.Deserialize<RetirementRecord>(text);
            return (set, _) => set.RetirementRecords.Add(new Located<RetirementRecord>(record, file, line));
        }

        var profile = KubernetesJson.Deserialize<BaselineProfile>(text);
        return (set, _) => set.Profiles.TryAdd(profile.Metadata.Name, profile);
    }

    private static void DropNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(name);
                }

                foreach (var (_, value) in obj)
                {
                    DropNulls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropNulls(item);
                }

                break;
        }
    }

    private static int LineOf(ManifestDocument document, string field) => document.LineOf(field);

    private static string JsonPath(string? path) =>
        (path ?? "$").TrimStart('$').TrimStart('.').Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
}
