using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// The shipped examples, moved into a scenario's namespace and pointed at its own profile, so scenarios can run side
/// by side on a shared cluster without touching anything else in it. Workloads are scaled to zero: on a real cluster
/// the examples' GPU requests would otherwise leave pods pending or make an autoscaler buy nodes. Only the Retirement
/// control reads replicas, and the example profile counts a retired workload scaled to zero as a leftover all the same.
/// </summary>
internal static class Manifests
{
    /// <summary>The objects of <c>examples/<paramref name="folder"/></c>, in file order.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Example(string folder, string ns, string profile, Func<string, string>? rename = null)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples", folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            text = rename is null ? text : rename(text);

            // The Prometheus Operator's kinds have no client types: they are created as custom objects, from their JSON.
            var documents = text.Split("\n---", StringSplitOptions.RemoveEmptyEntries);
            foreach (var document in documents.Where(MonitoringDocument.Is))
            {
                objects.Add(Relocate(MonitoringDocument.Parse(document), ns, profile));
            }

            var typed = string.Join("\n---", documents.Where(d => !MonitoringDocument.Is(d)));
            foreach (var obj in KubernetesYaml.LoadAllFromString(typed, ApiGroup.KindTypes()).Cast<IKubernetesObject<V1ObjectMeta>>())
            {
                objects.Add(Relocate(obj, ns, profile));
            }
        }

        return objects;
    }

    private static IKubernetesObject<V1ObjectMeta> Relocate(IKubernetesObject<V1ObjectMeta> obj, string ns, string profile)
    {
        switch (obj)
        {
            case BaselineProfile p:
                p.Metadata.Name = profile;
                break;
            case AIModelDeployment d:
                d.Metadata.NamespaceProperty = ns;
                d.Spec.Profile = profile;
                break;
            case V1Deployment d:
                d.Metadata.NamespaceProperty = ns;
                d.Spec.Replicas = 0;
                break;
            case V1StatefulSet s:
                s.Metadata.NamespaceProperty = ns;
                s.Spec.Replicas = 0;
                break;
            case V1PersistentVolumeClaim c:
                // Only the claim's name matters; a provisioner binding immediately should not create a large volume.
                c.Metadata.NamespaceProperty = ns;
                c.Spec.Resources.Requests["storage"] = new ResourceQuantity("1Gi");
                break;
            default:
                obj.Metadata.NamespaceProperty = ns;
                break;
        }

        return obj;
    }

    /// <summary>Creates an object through the API; an object that already exists is left as it is.</summary>
    public static async Task CreateAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        try
        {
            await CreateOrThrowAsync(client, obj, cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Copies of one example share its namespace-wide policies.
        }
    }

    private static Task CreateOrThrowAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        var ns = obj.Metadata.NamespaceProperty;
        return obj switch
        {
            AIModelDeployment d => client.CustomObjects.CreateNamespacedCustomObjectAsync(d, ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.AIModelDeploymentPlural, cancellationToken: ct),
            BaselineProfile p => client.CustomObjects.CreateClusterCustomObjectAsync(p, ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, cancellationToken: ct),
            V1Deployment d => client.AppsV1.CreateNamespacedDeploymentAsync(d, ns, cancellationToken: ct),
            V1StatefulSet s => client.AppsV1.CreateNamespacedStatefulSetAsync(s, ns, cancellationToken: ct),
            V1NetworkPolicy p => client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(p, ns, cancellationToken: ct),
            V1Secret s => client.CoreV1.CreateNamespacedSecretAsync(s, ns, cancellationToken: ct),
            V1ServiceAccount a => client.CoreV1.CreateNamespacedServiceAccountAsync(a, ns, cancellationToken: ct),
            V1Service s => client.CoreV1.CreateNamespacedServiceAsync(s, ns, cancellationToken: ct),
            V1PersistentVolumeClaim c => client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(c, ns, cancellationToken: ct),
            V1ConfigMap c => client.CoreV1.CreateNamespacedConfigMapAsync(c, ns, cancellationToken: ct),
            V1RoleBinding b => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(b, ns, cancellationToken: ct),
            V1Role r => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(r, ns, cancellationToken: ct),
            MonitoringDocument m => client.CustomObjects.CreateNamespacedCustomObjectAsync(m.Body(), MonitoringDocument.Group, "v1", ns, m.Plural, cancellationToken: ct),
            _ => throw new ArgumentException($"the scenarios do not create {obj.Kind} yet: add it to {nameof(Manifests)}", nameof(obj)),
        };
    }
}

/// <summary>A ServiceMonitor, PodMonitor or PrometheusRule of an example, kept as the JSON of its YAML.</summary>
internal sealed class MonitoringDocument : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "monitoring.coreos.com";

    private JsonObject json = [];

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The plural of its kind, where the API serves it.</summary>
    public string Plural => Kind.ToLowerInvariant() + "s";

    /// <summary>Whether a YAML document is one of the Prometheus Operator's kinds.</summary>
    public static bool Is(string document) => document.Contains($"apiVersion: {Group}/", StringComparison.Ordinal);

    public static MonitoringDocument Parse(string yaml)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml)))!.AsObject();
        return new MonitoringDocument
        {
            json = json,
            ApiVersion = (string)json["apiVersion"]!,
            Kind = (string)json["kind"]!,
            Metadata = KubernetesJson.Deserialize<V1ObjectMeta>(json["metadata"]!.ToJsonString()),
        };
    }

    /// <summary>The object to create, in the namespace it was moved to.</summary>
    public JsonObject Body()
    {
        var body = json.DeepClone().AsObject();
        body["metadata"]!["namespace"] = Metadata.NamespaceProperty;
        return body;
    }
}
