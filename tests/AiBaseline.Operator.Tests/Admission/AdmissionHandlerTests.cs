using System.Text;
using AiBaseline.Api.V1Alpha1;
using static AiBaseline.Operator.Tests.Admission.AdmissionFixtures;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>AdmissionReview v1 requests in, responses out, as the API server sends and reads them.</summary>
public sealed class AdmissionHandlerTests
{
    private readonly AdmissionFixtures cluster = new();

    [Fact]
    public async Task Enforce_denies_a_tagged_image_and_says_how_to_pin_it()
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage))));

        Assert.Equal(200, answer.StatusCode);
        Assert.False(answer.Allowed);
        Assert.Equal("0a1b2c3d-0000-4000-8000-000000000001", answer.Uid);
        Assert.StartsWith("aibaseline: BaselineProfile default (mode Enforce) denies Deployment team-a/llama (AIModelDeployment team-a/llama): ImageProvenance DigestMissing", answer.Message);
        Assert.Contains("image registry.acme.example/llm/server:1.0 is not pinned by digest: reference it as registry.acme.example/llm/server@sha256:<64 hex digits>", answer.Message);
        var denial = Assert.Single(cluster.Denials);
        Assert.Equal("llama", denial.Subject.Deployment.Metadata.Name);
        Assert.Equal(1, cluster.Counted("denied", "Enforce"));
    }

    [Fact]
    public async Task Enforce_admits_a_compliant_deployment_without_warnings()
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.True(answer.Allowed);
        Assert.Empty(answer.Warnings);
        Assert.Empty(cluster.Denials);
        Assert.Equal(1, cluster.Counted("allowed", "Enforce"));
    }

    [Fact]
    public async Task Audit_admits_with_a_warning_naming_what_Enforce_would_deny()
    {
        cluster.Governed(ProfileMode.Audit);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage))));

        Assert.True(answer.Allowed);
        var warning = Assert.Single(answer.Warnings);
        Assert.StartsWith("aibaseline: BaselineProfile default is in Audit mode; Enforce would deny Deployment team-a/llama: ImageProvenance DigestMissing", warning);
        Assert.True(warning.Length <= 256, "the API server may cut warnings longer than 256 characters");
        Assert.Empty(cluster.Denials);
        Assert.Equal(1, cluster.Counted("warned", "Audit"));
    }

    [Fact]
    public async Task A_dry_run_is_judged_the_same_but_records_no_event()
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage)), dryRun: true));

        Assert.False(answer.Allowed);
        Assert.Contains("DigestMissing", answer.Message);
        Assert.Empty(cluster.Denials);
    }

    [Fact]
    public async Task Deletes_are_never_blocked()
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("DELETE", "apps", "Deployment", null, oldObject: Deployment(CompliantPod(TaggedImage))));

        Assert.True(answer.Allowed);
        Assert.Equal(1, cluster.Counted("allowed", "", operation: "DELETE"));
    }

    [Theory]
    [InlineData("kube-system", "always excluded")]
    [InlineData("aibaseline-system", "the operator's own namespace")]
    [InlineData("gitops", "listed in the chart's values")]
    public async Task Excluded_namespaces_are_admitted_without_judging(string ns, string why)
    {
        cluster.Governed(ProfileMode.Enforce);
        cluster.State.Deployments[0].Metadata.NamespaceProperty = ns;
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage)), ns: ns), cluster.Handler("gitops"));

        Assert.True(answer.Allowed, why);
        Assert.Empty(answer.Warnings);
    }

    [Fact]
    public async Task A_workload_no_AIModelDeployment_names_is_not_judged()
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage), name: "web"), name: "web"));

        Assert.True(answer.Allowed);
        Assert.Empty(answer.Warnings);
    }

    [Theory]
    [InlineData("not json", "the body is not JSON")]
    [InlineData("[1,2]", "the body is not a JSON object")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{}}""", "answers admission.k8s.io/v1 AdmissionReview only")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""", "request is missing")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"kind":{"kind":"Pod"},"operation":"CREATE","object":{}}}""", "request.uid is missing")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","kind":{"kind":"Pod"},"operation":"PATCH"}}""", "request.operation is \"PATCH\"")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","kind":{"group":"apps","kind":"Deployment"},"operation":"CREATE"}}""", "request.object is missing")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","namespace":"team-a","kind":{"group":"apps","kind":"Deployment"},"operation":"CREATE","object":{"spec":{"replicas":"many"}}}}""", "request.object is not a valid Deployment")]
    public async Task A_malformed_review_is_a_400_naming_what_is_wrong(string body, string expected)
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, answer.StatusCode);
        Assert.StartsWith("bad AdmissionReview: ", answer.Message);
        Assert.Contains(expected, answer.Message);
        Assert.Equal(1, cluster.Counted("error", "", kind: "", operation: ""));
    }

    [Fact]
    public async Task An_update_that_leaves_the_pod_template_as_it_was_passes_even_when_not_compliant()
    {
        cluster.Governed(ProfileMode.Enforce);
        var old = Deployment(CompliantPod(TaggedImage), replicas: 1);
        var scaled = Deployment(CompliantPod(TaggedImage), replicas: 3);
        scaled.Metadata.Labels = new Dictionary<string, string> { ["argocd.argoproj.io/instance"] = "llama" };

        var unchanged = await cluster.SendAsync(Review("UPDATE", "apps", "Deployment", scaled, old));
        var changed = await cluster.SendAsync(Review("UPDATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage + "-b")), old));

        Assert.True(unchanged.Allowed);
        Assert.False(changed.Allowed);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("scale")]
    public async Task Subresources_are_not_judged(string subResource)
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("UPDATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage)), Deployment(CompliantPod()), subResource: subResource));

        Assert.True(answer.Allowed);
    }

    [Fact]
    public async Task A_profile_that_does_not_exist_leaves_the_verdict_to_the_operator()
    {
        cluster.Governed(ProfileMode.Enforce);
        cluster.State.Profiles.Clear();
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage))));

        Assert.True(answer.Allowed);
    }
}
