using System.Xml.Linq;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Crds;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>Doc comments become plain one-line descriptions.</summary>
public sealed class XmlDocumentationTests
{
    [Fact]
    public void Inline_code_and_references_become_their_text_and_whitespace_collapses()
    {
        var docs = XmlDocumentation.Parse(XDocument.Parse("""
            <doc><members>
              <member name="T:AiBaseline.Api.V1Alpha1.ApiGroup">
                <summary>
                  Uses <c>spec.profile</c> and <see cref="T:AiBaseline.Api.V1Alpha1.BaselineProfile"/>;
                  see <see langword="null"/>.
                </summary>
              </member>
            </members></doc>
            """));

        Assert.Equal("Uses spec.profile and BaselineProfile; see null.", docs.Of(typeof(ApiGroup)));
    }

    [Fact]
    public void The_api_documentation_file_is_next_to_the_executable()
    {
        var docs = XmlDocumentation.For(typeof(AIModelDeployment).Assembly);

        Assert.Equal("The desired state of an AI model deployment.", docs.Of(typeof(AIModelDeploymentSpec)));
        Assert.Equal("Kind of the workload: Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, LeaderWorkerSet, InferenceService (KServe), RayService, RayCluster (KubeRay) or Service (Knative Serving).", docs.Of(typeof(WorkloadReference).GetProperty(nameof(WorkloadReference.Kind))!));
    }
}
