using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.EmulatedCluster;

/// <summary>Creates the objects of the shipped example manifests in an emulator, as <c>kubectl apply -f examples/ -R</c> would.</summary>
internal static class ExampleManifests
{
    /// <summary>Creates every object of every <c>*.yaml</c> under <paramref name="examples"/>, in file-name order; returns how many.</summary>
    public static int Apply(Emulator api, string examples)
    {
        var count = 0;
        foreach (var file in Directory.GetFiles(examples, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            IEnumerable<object> objects;
            try
            {
                objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(file), ApiGroup.KindTypes());
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidOperationException($"{file}: not a Kubernetes manifest: {e.Message}", e);
            }

            foreach (var obj in objects)
            {
                api.Create(JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject());
                count++;
            }
        }

        return count;
    }
}
