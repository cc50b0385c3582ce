using System.Globalization;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Real RFC 3161 responses from <c>openssl ts -reply</c>, signed with a <see cref="TestTsa"/>'s certificate and key (genTime is openssl's clock).</summary>
internal static class OpensslTs
{
    /// <summary>A TimeStampResp over the SHA-256 of <paramref name="signature"/>, made by openssl in <paramref name="dir"/>.</summary>
    public static async Task<byte[]> ReplyAsync(TestTsa tsa, byte[] signature, string dir)
    {
        await File.WriteAllBytesAsync(Path.Combine(dir, "signature.bin"), signature);
        await File.WriteAllTextAsync(Path.Combine(dir, "tsa.crt"), tsa.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "root.crt"), tsa.Root.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "tsa.key"), tsa.SigningKeyPem());
        await File.WriteAllTextAsync(Path.Combine(dir, "serial"), "01\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "tsa.cnf"), string.Create(CultureInfo.InvariantCulture, $"""
            [ tsa ]
            default_tsa = test_tsa
            [ test_tsa ]
            dir = {dir}
            serial = $dir/serial
            crypto_device = builtin
            signer_cert = $dir/tsa.crt
            certs = $dir/root.crt
            signer_key = $dir/tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.57264.2
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = yes
            tsa_name = no
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256
            """));
        await ProcessRunner.RunAsync(Tools.Openssl, ["ts", "-query", "-data", "signature.bin", "-sha256", "-cert", "-out", "request.tsq"], null, dir);
        await ProcessRunner.RunAsync(Tools.Openssl, ["ts", "-reply", "-queryfile", "request.tsq", "-config", "tsa.cnf", "-out", "response.tsr"], null, dir);
        return await File.ReadAllBytesAsync(Path.Combine(dir, "response.tsr"));
    }
}
