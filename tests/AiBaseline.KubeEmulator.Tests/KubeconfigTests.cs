using k8s;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class KubeconfigTests
{
    [Fact]
    public async Task The_written_kubeconfig_reaches_the_emulator_through_the_clients_own_loader()
    {
        await using var api = await TestCluster.StartAsync();
        var path = api.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.kubeconfig"));
        try
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
            var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: TestContext.Current.CancellationToken);

            Assert.Contains("kube-system", namespaces.Items.Select(n => n.Metadata.Name));
            Assert.Equal(api.Url, client.BaseUri.ToString().TrimEnd('/'));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
