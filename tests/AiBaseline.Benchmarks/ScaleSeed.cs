using AiBaseline.Api.V1Alpha1;
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

    private static int Apply(Emulator api, string yaml) => api.CreateFromYaml(yaml, ApiGroup.KindTypes());
}
