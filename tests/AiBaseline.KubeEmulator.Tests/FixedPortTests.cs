using System.Net;
using System.Net.Sockets;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class FixedPortTests
{
    [Fact]
    public async Task An_emulator_asked_for_a_port_listens_on_it_and_a_second_one_on_the_same_port_fails()
    {
        var port = FreePort();
        await using var api = await KubeEmulator.StartAsync(new KubeEmulatorOptions { Port = port }, TestContext.Current.CancellationToken);

        Assert.Equal($"http://127.0.0.1:{port}", api.Url);
        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{port}/api/v1/namespaces/default", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<IOException>(async () =>
            await KubeEmulator.StartAsync(new KubeEmulatorOptions { Port = port }, TestContext.Current.CancellationToken));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
