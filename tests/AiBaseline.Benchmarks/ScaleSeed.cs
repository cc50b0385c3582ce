using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Benchmarks;

/// <summary>Creates the <see cref="ScaleManifests"/> estate in an emulator, without HTTP.</summary>
internal static class ScaleSeed
{
    /// <summary>Creates the profile and <paramref name="count"/> deployments; returns how many objects were created.</summary>
    public static int Create(Emulator api, int count)
    {
        var created = Apply(api, ScaleManifests.Profile);
        for (var i = 0; i < count; i++)
        {
            created += Apply(api, ScaleManifests.Deployment(i));
        }

        return created;
    }

    private static int Apply(Emulator api, string yaml)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, ApiGroup.KindTypes());
        foreach (var obj in objects)
        {
            api.Create(JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject());
        }

        return objects.Count;
    }
}
