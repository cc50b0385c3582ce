using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// The operator reads kubeconfig files itself (<see cref="KubeconfigFiles"/>), not through the client's general YAML reader;
/// what it connects to, and as whom, must be what the client's own loader and kubectl make of the same files.
/// </summary>
public sealed class KubeconfigFilesTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("aibaseline-kubeconfig-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void A_kubeconfig_gives_the_same_server_credentials_namespace_and_certificate_authority_as_the_clients_own_loader()
    {
        var certs = Directory.CreateDirectory(Path.Combine(folder.FullName, "certs"));
        var authority = SelfSigned("cluster-ca");
        File.WriteAllText(Path.Combine(certs.FullName, "ca.crt"), authority.ExportCertificatePem());
        var file = Write("config", """
            apiVersion: v1
            kind: Config
            preferences: {}
            clusters:
            - name: lab
              cluster: {server: "https://10.1.2.3:6443", certificate-authority: certs/ca.crt}
            users:
            - name: operator
              user: {token: s3cret-token}
            contexts:
            - name: other
              context: {cluster: lab, user: operator, namespace: elsewhere}
            - name: lab-admin
              context: {cluster: lab, user: operator, namespace: ml-serving}
            current-context: lab-admin
            """);

        var ours = KubeconfigFiles.Load([file]);
        var clients = KubernetesClientConfiguration.BuildConfigFromConfigFile(file);

        Assert.Equal(("https://10.1.2.3:6443", "s3cret-token", "ml-serving", "lab-admin"), (ours.Host, ours.AccessToken, ours.Namespace, ours.CurrentContext));
        Assert.Equal((clients.Host, clients.AccessToken, clients.Namespace, clients.CurrentContext), (ours.Host, ours.AccessToken, ours.Namespace, ours.CurrentContext));
        Assert.Equal(authority.Thumbprint, Assert.Single(ours.SslCaCerts).Thumbprint);
        Assert.Equal(clients.SslCaCerts.Single().Thumbprint, ours.SslCaCerts.Single().Thumbprint);
    }

    [Fact]
    public void Several_files_merge_as_kubectl_merges_them_and_each_names_its_paths_from_its_own_folder()
    {
        var own = Directory.CreateDirectory(Path.Combine(folder.FullName, "team"));
        var clientCert = SelfSigned("operator");
        File.WriteAllText(Path.Combine(own.FullName, "client.crt"), clientCert.ExportCertificatePem());
        using (var key = clientCert.GetRSAPrivateKey()!)
        {
            File.WriteAllText(Path.Combine(own.FullName, "client.key"), key.ExportRSAPrivateKeyPem());
        }

        var first = Write("first", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: lab
              cluster: {server: "https://lab.example:6443", insecure-skip-tls-verify: true}
            contexts:
            - name: lab
              context: {cluster: lab, user: operator, namespace: first-wins}
            current-context: lab
            """);
        var second = Path.Combine(own.FullName, "second");
        File.WriteAllText(second, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: lab
              cluster: {server: "https://shadowed.example:6443"}
            users:
            - name: operator
              user: {client-certificate: client.crt, client-key: client.key}
            contexts:
            - name: lab
              context: {cluster: lab, user: operator, namespace: shadowed}
            current-context: shadowed
            """);

        var config = KubeconfigFiles.Load([first, second]);

        Assert.Equal(("https://lab.example:6443", "first-wins", "lab", true), (config.Host, config.Namespace, config.CurrentContext, config.SkipTlsVerify));
        Assert.Equal(Path.Combine(own.FullName, "client.crt"), config.ClientCertificateFilePath);
        Assert.Equal(Path.Combine(own.FullName, "client.key"), config.ClientKeyFilePath);
    }

    [Fact]
    public void An_empty_or_unusable_file_is_named_with_what_is_wrong()
    {
        var empty = Write("empty", "");
        var noServer = Write("no-server", """
            apiVersion: v1
            kind: Config
            clusters: [{name: lab, cluster: {}}]
            contexts: [{name: lab, context: {cluster: lab}}]
            current-context: lab
            """);

        Assert.Null(ClusterConnection.Resolve(empty, out var emptyProblem));
        Assert.Null(ClusterConnection.Resolve(noServer, out var serverProblem));

        Assert.Equal($"--kubeconfig: {empty}: not a usable kubeconfig: the file is empty", emptyProblem);
        Assert.StartsWith($"--kubeconfig: {noServer}: not a usable kubeconfig: Server not found", serverProblem, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
