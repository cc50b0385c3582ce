using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator;

/// <summary>Reads CustomResourceDefinitions from YAML files, typed through KubernetesClient's own YAML model.</summary>
internal static class CrdFiles
{
    public static IReadOnlyList<JsonObject> Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"CRD directory not found: {directory}");
        }

        var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml")).Order(StringComparer.Ordinal);
        var crds = new List<JsonObject>();
        foreach (var file in files)
        {
            List<object> documents;
            try
            {
                documents = KubernetesYaml.LoadAllFromString(File.ReadAllText(file));
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
            {
                throw new InvalidDataException($"{file}: not a Kubernetes YAML document: {e.Message}", e);
            }

            foreach (var document in documents)
            {
                if (document is not V1CustomResourceDefinition crd)
                {
                    throw new InvalidDataException($"{file}: expected only CustomResourceDefinition documents, found {document.GetType().Name}");
                }

                crds.Add(JsonNode.Parse(KubernetesJson.Serialize(crd))!.AsObject());
            }
        }

        return crds;
    }
}
