using AiBaseline.Audit;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;
using static AiBaseline.Provenance.Tests.Live.KeylessRegistryFixture;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// <c>aibaseline audit --verify</c> on the compliant example whose images are signed with a test CA's certificate,
/// with a profile that trusts the CA's chain and the signer's identity.
/// </summary>
[Collection(KeylessRegistryCollection.Name)]
public sealed class KeylessAuditTests(KeylessRegistryFixture registry) : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("aibaseline-keyless-audit-");

    [Fact]
    public void Certificate_signed_images_are_met_and_list_the_signer_identity()
    {
        var image = registry.Images["good"];
        var (exit, report, _) = AuditExample.Audit(Write(image, Release.Email), verify: true);

        Assert.Equal(AuditExitCodes.Compliant, exit);
        Assert.Equal("True", (string?)AuditExample.Condition(report, "ImageProvenanceVerified")["status"]);
        var first = AuditExample.Status(report)["images"]![0]!;
        Assert.Equal(image.Split('@')[1], (string?)first["digest"]);
        Assert.Equal([$"release-ca: {Release.Email} from {Release.Issuer}"], first["signedBy"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Another_identity_is_not_met_with_the_reason_and_who_signed()
    {
        var (exit, report, _) = AuditExample.Audit(Write(registry.Images["good"], "someone@acme.test"), verify: true);

        Assert.Equal(AuditExitCodes.NotCompliant, exit);
        var condition = AuditExample.Condition(report, "ImageProvenanceVerified");
        Assert.Equal("False", (string?)condition["status"]);
        Assert.Equal(SigstoreReasons.IdentityMismatch, (string?)condition["reason"]);
        Assert.Contains($"signed by {Release.Email} from {Release.Issuer}", (string?)condition["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Unusable_identity_is_bad_input_naming_the_profile_field()
    {
        var manifests = AuditExample.Write(dir.FullName, registry.Images["good"], registry.Registry.Host,
            "    identities:\n    - subjectRegExp: \"(unclosed\"\n      issuer: https://issuer.acme.test\n");
        var root = new System.CommandLine.RootCommand { AiBaseline.Commands.AuditCommand.Create(TimeProvider.System) };
        var stderr = new StringWriter();
        var exit = root.Parse(["audit", manifests, "-o", "json", "--verify"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = stderr });

        Assert.Equal(AuditExitCodes.BadInput, exit);
        Assert.Contains("spec.images.identities[0]: subjectRegExp \"(unclosed\" is not a regular expression", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => dir.Delete(recursive: true);

    private string Write(string image, string subject) => AuditExample.Write(dir.FullName, image, registry.Registry.Host,
        $"    identities:\n    - subject: {subject}\n      issuer: {Release.Issuer}\n    certificateChains:\n    - name: release-ca\n      certificates: |\n{AuditExample.Block(registry.Ca.Pem, 8)}");
}
