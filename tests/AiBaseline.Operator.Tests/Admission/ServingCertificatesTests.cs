using System.Security.Cryptography.X509Certificates;
using AiBaseline.Admission;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>The CA and serving certificate the operator issues for its webhook, and when it renews them.</summary>
public sealed class ServingCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Hosts = ["aibaseline-webhook.aibaseline-system.svc", "127.0.0.1"];

    [Fact]
    public void The_serving_certificate_chains_to_the_CA_and_names_the_Service_and_the_loopback_address()
    {
        var set = ServingCertificates.IssueAll(Hosts, Now, TimeSpan.FromDays(3650), TimeSpan.FromDays(90));

        using var served = ServingCertificates.Load(set);
        Assert.True(served.HasPrivateKey);
        Assert.True(served.MatchesHostname("aibaseline-webhook.aibaseline-system.svc"));
        Assert.False(served.MatchesHostname("evil.example"));
        Assert.Contains("127.0.0.1", served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(ip => ip.ToString()));
        Assert.True(Chains(served, set.CaCertificate, Now.AddDays(1)));
        Assert.False(Chains(served, ServingCertificates.IssueAll(Hosts, Now, TimeSpan.FromDays(3650), TimeSpan.FromDays(90)).CaCertificate, Now.AddDays(1)), "another CA does not vouch for it");
    }

    [Fact]
    public void A_renewal_keeps_the_CA_so_the_bundle_the_API_server_trusts_stays_valid()
    {
        var set = ServingCertificates.IssueAll(Hosts, Now, TimeSpan.FromDays(3650), TimeSpan.FromDays(90));
        var later = Now.AddDays(61);

        var renewed = ServingCertificates.Renew(set, Hosts, later, TimeSpan.FromDays(90));

        Assert.Equal(set.CaCertificate, renewed.CaCertificate);
        Assert.NotEqual(set.ServingCertificate, renewed.ServingCertificate);
        using var served = ServingCertificates.Load(renewed);
        Assert.True(Chains(served, set.CaCertificate, later.AddDays(80)));
    }

    [Theory]
    [InlineData(59, null, "two thirds of 90 days are not over")]
    [InlineData(61, "expires", "less than a third is left")]
    public void It_is_renewed_when_a_third_of_its_lifetime_is_left(int days, string? reason, string why)
    {
        var set = ServingCertificates.IssueAll(Hosts, Now, TimeSpan.FromDays(3650), TimeSpan.FromDays(90));

        var due = ServingCertificates.RenewalReason(set, Hosts, Now.AddDays(days), TimeSpan.FromDays(90));

        if (reason is null)
        {
            Assert.True(due is null, why);
        }
        else
        {
            Assert.True(due?.Contains(reason, StringComparison.Ordinal) == true, why);
        }
    }

    [Fact]
    public void A_new_name_to_serve_makes_it_due()
    {
        var set = ServingCertificates.IssueAll(Hosts, Now, TimeSpan.FromDays(3650), TimeSpan.FromDays(90));

        Assert.Equal("the serving certificate does not name webhook.example", ServingCertificates.RenewalReason(set, [.. Hosts, "webhook.example"], Now, TimeSpan.FromDays(90)));
    }

    [Fact]
    public void A_new_CA_joins_the_bundle_beside_the_old_one_and_the_next_renewal_signs_with_it()
    {
        var late = Now.AddDays(2500);
        var set = ServingCertificates.Renew(ServingCertificates.IssueAll(Hosts, Now, TimeSpan.FromDays(3650), TimeSpan.FromDays(90)), Hosts, late.AddDays(-1), TimeSpan.FromDays(90));
        Assert.Null(ServingCertificates.CaRotationReason(set, Now.AddDays(2400), TimeSpan.FromDays(3650)));
        Assert.NotNull(ServingCertificates.CaRotationReason(set, late, TimeSpan.FromDays(3650)));

        var rotated = ServingCertificates.RotateCa(set, late, TimeSpan.FromDays(3650));
        var renewed = ServingCertificates.Renew(rotated, Hosts, late.AddMinutes(1), TimeSpan.FromDays(90));

        Assert.Equal(set.ServingCertificate, rotated.ServingCertificate);
        using var old = ServingCertificates.Load(set);
        using var fresh = ServingCertificates.Load(renewed);
        Assert.True(Chains(old, rotated.CaCertificate, late), "the certificate served until the next renewal is still trusted");
        Assert.True(Chains(fresh, rotated.CaCertificate, late), "the renewed one is signed by the new CA");
        Assert.False(Chains(fresh, set.CaCertificate, late), "which the old bundle alone does not trust");
        Assert.Null(ServingCertificates.CaRotationReason(rotated, late, TimeSpan.FromDays(3650)));

        var much = late.AddDays(2500);
        var again = ServingCertificates.RotateCa(rotated, much, TimeSpan.FromDays(3650));
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(again.CaCertificate);
        Assert.Equal(2, bundle.Count);
        Assert.DoesNotContain(bundle, c => c.NotAfter.ToUniversalTime() < much.UtcDateTime);
    }

    private static bool Chains(X509Certificate2 served, string caPem, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(caPem);
        chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        return chain.Build(served);
    }
}
