using System.Net;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Audit;

/// <summary>How <c>audit --verify</c> reaches registries.</summary>
/// <param name="RegistryCaFile">A PEM bundle of extra CAs to trust, or null.</param>
/// <param name="InsecureRegistries">Registries ("host[:port]") spoken to over plain HTTP.</param>
/// <param name="Timeout">How long to wait for each registry request.</param>
/// <param name="ModelRoots">--model-root values: DIR, or PREFIX=DIR, where the files of signed models are read.</param>
public sealed record VerifyOptions(string? RegistryCaFile = null, IReadOnlyList<string>? InsecureRegistries = null, TimeSpan? Timeout = null, IReadOnlyList<string>? ModelRoots = null);

/// <summary>
/// How <c>audit --verify</c> and the operator reach registries, and the audit's logins from pull secrets in
/// its input; what is verified and how runs in <see cref="Verification.ProvenanceRun"/>.
/// </summary>
public static class AuditVerification
{
    private const string OciScheme = "oci://";

    /// <summary>
    /// Registry client settings: the CA bundle, the insecure registries, and plain HTTP for loopback
    /// registries of <paramref name="references"/>, as cosign does. Unreadable CA files are input problems.
    /// </summary>
    public static RegistryClientOptions ClientOptions(VerifyOptions options, IEnumerable<string> references, List<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plain = new HashSet<string>(options.InsecureRegistries ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var reference in references)
        {
            var bare = reference.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase) ? reference[OciScheme.Length..] : reference;
            if (ImageReference.TryParse(bare) is { } image && IsLoopback(image.Registry))
            {
                plain.Add(image.Registry);
            }
        }

        var client = new RegistryClientOptions { PlainHttpRegistries = plain, RequestTimeout = options.Timeout ?? TimeSpan.FromSeconds(10) };
        if (options.RegistryCaFile is { } caFile)
        {
            try
            {
                client = client with { ExtraTrustedCertificates = RegistryClientOptions.LoadPemBundle(File.ReadAllText(caFile)) };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                problems.Add(new InputProblem(caFile, 0, null, "--registry-ca", $"cannot be used as a CA bundle: {e.Message}"));
            }
        }

        return client;
    }

    /// <summary>Logins from the pod's imagePullSecrets and its ServiceAccount's, as the kubelet uses them; null when none are in the input.</summary>
    public static RegistryCredentials? CredentialsOf(string ns, V1PodSpec? pod, ManifestIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var account = index.ServiceAccount(ns, Engine.Gathering.SnapshotAssembler.ServiceAccountName(pod));
        return PullSecretLogins.CredentialsOf(PullSecretLogins.NamesOf(pod, account).Select(n => index.PullSecret(ns, n)));
    }

    private static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.Contains(':', StringComparison.Ordinal) ? registry[..registry.LastIndexOf(':')] : registry;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
