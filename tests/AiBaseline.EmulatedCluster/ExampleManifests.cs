using AiBaseline.Api.V1Alpha1;
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
            try
            {
                count += api.CreateFromYaml(File.ReadAllText(file), ApiGroup.KindTypes());
            }
            catch (InvalidDataException e)
            {
                throw new InvalidOperationException($"{file}: {e.Message}", e);
            }
        }

        return count;
    }
}
