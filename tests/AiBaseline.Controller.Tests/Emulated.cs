using AiBaseline.Controller.Api;
using k8s;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Controller.Tests;

/// <summary>An emulated API server and clients of it, for one test.</summary>
internal sealed class Emulated : IAsyncDisposable
{
    private Emulated(Emulator server)
    {
        Server = server;
        Kubernetes = new Kubernetes(server.CreateClientConfiguration());
        Api = new KubeApiClient(Kubernetes);
    }

    public Emulator Server { get; }

    public Kubernetes Kubernetes { get; }

    public KubeApiClient Api { get; }

    public static async Task<Emulated> StartAsync() =>
        new(await Emulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        Kubernetes.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {seconds} s: {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
