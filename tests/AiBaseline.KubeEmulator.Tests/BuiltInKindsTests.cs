using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class BuiltInKindsTests
{
    [Fact]
    public async Task Core_and_events_k8s_io_events_are_stored_as_separate_resources()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();

        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event { Metadata = new() { Name = "core" }, InvolvedObject = new() { Name = "w" }, Reason = "Evaluated" }, "default");
        await client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event { Metadata = new() { Name = "modern" }, Reason = "Evaluated", Action = "Reconcile" }, "default");

        Assert.Equal(["core"], (await client.CoreV1.ListNamespacedEventAsync("default")).Items.Select(e => e.Metadata.Name));
        Assert.Equal(["modern"], (await client.EventsV1.ListNamespacedEventAsync("default")).Items.Select(e => e.Metadata.Name));
    }

    [Fact]
    public async Task Deployment_status_is_written_only_through_its_status_subresource()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var deployment = new V1Deployment
        {
            Metadata = new() { Name = "model" },
            Spec = new()
            {
                Selector = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "model" } },
                Template = new() { Metadata = new() { Labels = new Dictionary<string, string> { ["app"] = "model" } }, Spec = new() { Containers = [new() { Name = "m", Image = "m:1" }] } },
            },
        };
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");

        created.Status = new V1DeploymentStatus { ReadyReplicas = 1 };
        var viaStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "model", "default");
        viaStatus.Status.ReadyReplicas = 5;
        viaStatus.Spec.Replicas = 2;
        var viaMain = await client.AppsV1.ReplaceNamespacedDeploymentAsync(viaStatus, "model", "default");

        Assert.Equal((1, 2, 2L), (viaMain.Status.ReadyReplicas!.Value, viaMain.Spec.Replicas!.Value, viaMain.Metadata.Generation!.Value));
    }

    [Fact]
    public async Task ApplyCrdsFrom_names_the_file_holding_something_else()
    {
        await using var api = await KubeEmulator.StartAsync();
        var directory = Directory.CreateTempSubdirectory("emulator-crds-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "oops.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-a-crd\n");

            var error = Assert.Throws<InvalidDataException>(() => api.ApplyCrdsFrom(directory.FullName));

            Assert.Contains("oops.yaml", error.Message, StringComparison.Ordinal);
            Assert.Contains("V1ConfigMap", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
