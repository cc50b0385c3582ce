namespace AiBaseline.ControlPlane;

/// <summary>
/// Where the control plane's binaries are: the folder named by <c>KUBEBUILDER_ASSETS</c>, as controller-runtime's
/// envtest names it, holding <c>etcd</c> and <c>kube-apiserver</c> (what envtest's assets ship), and, when present,
/// <c>kube-controller-manager</c>, without which no Deployment makes pods and no namespace finishes terminating.
/// </summary>
public sealed record ControlPlaneAssets(string Directory)
{
    /// <summary>The variable envtest users already set.</summary>
    public const string Variable = "KUBEBUILDER_ASSETS";

    public string Etcd => Path.Combine(Directory, "etcd");

    public string ApiServer => Path.Combine(Directory, "kube-apiserver");

    public string ControllerManager => Path.Combine(Directory, "kube-controller-manager");

    /// <summary>Whether the folder holds the controller manager too.</summary>
    public bool HasControllerManager => File.Exists(ControllerManager);

    /// <summary>The assets named by <see cref="Variable"/>, or the reason there are none.</summary>
    public static (ControlPlaneAssets? Assets, string? Missing) FromEnvironment()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(folder))
        {
            return (null, $"{Variable} is not set: it names a folder with etcd, kube-apiserver and kube-controller-manager (see README, \"Testing against a real cluster\")");
        }

        var assets = new ControlPlaneAssets(folder);
        var absent = new[] { assets.Etcd, assets.ApiServer }.Where(b => !File.Exists(b)).Select(Path.GetFileName).ToList();
        return absent.Count == 0
            ? (assets, null)
            : (null, $"{Variable} names {folder}, which lacks {string.Join(", ", absent)}");
    }
}
