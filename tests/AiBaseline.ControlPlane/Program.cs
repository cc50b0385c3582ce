using AiBaseline.ControlPlane;

// `dotnet run --project tests/AiBaseline.ControlPlane -- KUBECONFIG_PATH`: starts one control plane from
// $KUBEBUILDER_ASSETS, copies its admin kubeconfig to KUBECONFIG_PATH once it is ready, and runs until SIGTERM or
// Ctrl-C, then stops every process it started and removes the kubeconfig.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: AiBaseline.ControlPlane KUBECONFIG_PATH");
    return 2;
}

var (assets, missing) = ControlPlaneAssets.FromEnvironment();
if (assets is null)
{
    await Console.Error.WriteLineAsync($"control plane: {missing}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var plane = await ControlPlane.StartAsync(assets);
var target = Path.GetFullPath(args[0]);
File.Copy(plane.AdminKubeconfig, target + ".partial", overwrite: true);
File.Move(target + ".partial", target, overwrite: true);
var parts = plane.HasControllerManager ? "etcd, kube-apiserver, kube-controller-manager" : "etcd, kube-apiserver (no kube-controller-manager in the assets)";
Console.WriteLine($"control plane: {parts} at {plane.Server} ready in {plane.StartupTime.TotalSeconds:0.0} s (pids {string.Join(' ', plane.ProcessIds)}); kubeconfig {target}");

await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
var stopping = System.Diagnostics.Stopwatch.StartNew();
await plane.DisposeAsync();
File.Delete(target);
Console.WriteLine($"control plane: stopped in {stopping.Elapsed.TotalSeconds:0.0} s");
return 0;
