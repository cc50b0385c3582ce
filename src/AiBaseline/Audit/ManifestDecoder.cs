using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Audit;

/// <summary>
/// Decodes the objects the audit understands and files them in a <see cref="ManifestSet"/>; other kinds are
/// ignored. aibaseline.io objects are checked strictly against their schema. Secrets are reduced to name and
/// type straight from the YAML: their data is never converted or printed, and kept only for
/// <c>--verify</c>, which reads the <c>.dockerconfigjson</c> of image pull secrets to log in to registries.
/// </summary>
public sealed class ManifestDecoder(string defaultNamespace, List<InputProblem> problems, bool keepPullSecrets = false)
{
    /// <summary>What was decoded so far.</summary>
    public ManifestSet Set { get; } = new();

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
            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            problems.Add(new InputProblem(document.File, document.Line, label, "metadata.name", "is missing: every object needs a name"));
            return;
        }

        var ns = YamlDocuments.Scalar(YamlDocuments.Mapping(node, "metadata")!, "namespace") is { Length: > 0 } given ? given : defaultNamespace;
        if (kind == "Secret")
        {
            var type = YamlDocuments.Scalar(node, "type");
            Set.Index.AddSecret(ns, new Engine.SecretMetadata(name, type));
            if (keepPullSecrets && type == PullSecrets.DockerConfigJsonType && PullSecrets.Read(document, label, problems) is { } config)
            {
                Set.Index.AddPullSecret(ns, name, config);
            }

            return;
        }

        AddKubernetes(document, kind, ns, label);
    }

    private static bool IsKnown(string group, string kind) => (group, kind) switch
    {
        ("apps", "Deployment" or "StatefulSet") => true,
        ("networking.k8s.io", "NetworkPolicy") => true,
        ("", "Secret" or "ConfigMap" or "ServiceAccount" or "Service" or "PersistentVolumeClaim") => true,
        ("rbac.authorization.k8s.io", "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding") => true,
        _ => false,
    };

    private void AddKubernetes(ManifestDocument document, string kind, string ns, string label)
    {
        var before = problems.Count;
        KubernetesQuantities.Check(document.Node, (field, line, message) => problems.Add(new InputProblem(document.File, line, label, field, message)));
        if (problems.Count > before)
        {
            return;
        }

        var index = Set.Index;
        var json = YamlToJson.Convert(document.Node)!.ToJsonString();
        try
        {
            switch (kind)
            {
                case "Deployment": index.AddDeployment(ns, KubernetesJson.Deserialize<V1Deployment>(json)); break;
                case "StatefulSet": index.AddStatefulSet(ns, KubernetesJson.Deserialize<V1StatefulSet>(json)); break;
                case "NetworkPolicy": index.AddNetworkPolicy(ns, KubernetesJson.Deserialize<V1NetworkPolicy>(json)); break;
                case "ConfigMap": index.AddConfigMap(ns, KubernetesJson.Deserialize<V1ConfigMap>(json)); break;
                case "ServiceAccount": index.AddServiceAccount(ns, KubernetesJson.Deserialize<V1ServiceAccount>(json)); break;
                case "Service": index.AddService(ns, KubernetesJson.Deserialize<V1Service>(json).Metadata.Name); break;
                case "PersistentVolumeClaim": index.AddPersistentVolumeClaim(ns, KubernetesJson.Deserialize<V1PersistentVolumeClaim>(json).Metadata.Name); break;
                case "Role": index.AddRole(ns, KubernetesJson.Deserialize<V1Role>(json)); break;
                case "RoleBinding": index.AddRoleBinding(ns, KubernetesJson.Deserialize<V1RoleBinding>(json)); break;
                case "ClusterRole": index.AddClusterRole(KubernetesJson.Deserialize<V1ClusterRole>(json)); break;
                case "ClusterRoleBinding": index.AddClusterRoleBinding(KubernetesJson.Deserialize<V1ClusterRoleBinding>(json)); break;
            }
        }
        catch (JsonException e)
        {
            var field = JsonPath(e.Path);
            problems.Add(new InputProblem(document.File, LineOf(document, field), label, field, "has the wrong type for a " + kind + ": fix the value"));
        }
        catch (FormatException)
        {
            // The quantity check above follows the Kubernetes grammar; this catches any value it lets through that the client library still refuses.
            problems.Add(new InputProblem(document.File, document.Line, label, null, $"a resource quantity cannot be read: {KubernetesQuantities.Advice}"));
        }
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
        json.Remove("status"); // the audit computes status itself; a status copied from the cluster is ignored
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
        foreach (var (key, _) in json)
        {
            if (key is not ("apiVersion" or "kind" or "metadata" or "spec"))
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
            if (kind == ApiGroup.AIModelDeploymentKind)
            {
                var deployment = KubernetesJson.Deserialize<AIModelDeployment>(text);
                deployment.Metadata.NamespaceProperty ??= defaultNamespace;
                Set.Deployments.Add(new Located<AIModelDeployment>(deployment, document.File, document.Line));
            }
            else if (kind == ApiGroup.BaselineExceptionKind)
            {
                var waiver = KubernetesJson.Deserialize<BaselineException>(text);
                waiver.Metadata.NamespaceProperty ??= defaultNamespace;
                Set.Waivers.Add(new Located<BaselineException>(waiver, document.File, document.Line));
            }
            else if (kind == ApiGroup.RetirementRecordKind)
            {
                Set.RetirementRecords.Add(new Located<RetirementRecord>(KubernetesJson.Deserialize<RetirementRecord>(text), document.File, document.Line));
            }
            else
            {
                var profile = KubernetesJson.Deserialize<BaselineProfile>(text);
                Set.Profiles.TryAdd(profile.Metadata.Name, profile);
            }
        }
        catch (JsonException e)
        {
            // What the schema check lets through, such as an empty value (null) where a boolean or number is required.
            var field = JsonPath(e.Path);
            Report(field, "is empty or has the wrong type: set a value of the type the field takes");
        }
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

    private static int LineOf(ManifestDocument document, string field) =>
        field.Length == 0 ? document.Line : YamlDocuments.LineOf(document.Node, field);

    private static string JsonPath(string? path) =>
        (path ?? "$").TrimStart('$').TrimStart('.').Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
}
