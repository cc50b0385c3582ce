using System.Net;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using AiBaseline.Engine.Gathering;
using AiBaseline.Provenance;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Reads a workload's image pull secrets for <c>--read-pull-secrets</c>: the pod template's and its ServiceAccount's
/// (from the informer cache), each with a one-off GET. Secret data is never watched, cached or logged: it lives only
/// in the credentials handed to one verification pass.
/// </summary>
internal sealed class PullSecretReader(KubeApiClient api, ClusterCaches caches, ILogger<PullSecretReader> logger)
{
    /// <summary>Logins for the registries of a pod in <paramref name="ns"/>; null when it names no usable pull secret.</summary>
    public async Task<RegistryCredentials?> CredentialsAsync(string ns, V1PodSpec? pod, CancellationToken cancellationToken)
    {
        var account = caches.ServiceAccounts.Cache.Get(new ObjectKey(ns, SnapshotAssembler.ServiceAccountName(pod)));
        var configs = new List<ReadOnlyMemory<byte>?>();
        foreach (var name in PullSecretLogins.NamesOf(pod, account))
        {
            configs.Add(await DockerConfigAsync(ns, name, cancellationToken).ConfigureAwait(false));
        }

        return PullSecretLogins.CredentialsOf(configs);
    }

    private async Task<ReadOnlyMemory<byte>?> DockerConfigAsync(string ns, string name, CancellationToken cancellationToken)
    {
        V1Secret secret;
        try
        {
            secret = await api.GetAsync<V1Secret>(OperatorResources.Secrets, new ObjectKey(ns, name), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.StatusCode == HttpStatusCode.Forbidden)
        {
            // A missing secret or one the operator may not read leaves its registries anonymous; other errors retry the reconcile.
            logger.LogWarning(
                "Image pull secret {Namespace}/{Secret} cannot be read ({Status}); registries it logs in to are verified anonymously",
                ns, name, e.IsNotFound ? "not found" : "forbidden: install with registry.readPullSecrets=true");
            return null;
        }

        var config = PullSecretLogins.DockerConfigOf(secret);
        if (config is null)
        {
            logger.LogWarning(
                "Image pull secret {Namespace}/{Secret} is not a {DockerConfigJson} or {DockerCfg} Secret holding a docker config; registries it logs in to are verified anonymously",
                ns, name, PullSecretLogins.DockerConfigJsonType, PullSecretLogins.DockerCfgType);
        }

        return config;
    }
}
