using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Workloads;

namespace AiBaseline.Engine.Tests;

/// <summary>Every workload kind's pod templates are found, named by their role, and labelled as their controller labels the pods.</summary>
public sealed class WorkloadReaderTests
{
    private const string Pod = """{"containers":[{"name":"NAME","image":"registry.example.com/IMAGE@sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5"}]}""";

    private static string PodOf(string name) => Pod.Replace("NAME", name, StringComparison.Ordinal).Replace("IMAGE", name, StringComparison.Ordinal);

    private static string TemplateOf(string name) => $$$"""{"metadata":{"labels":{"app":"{{{name}}}"}},"spec":{{{PodOf(name)}}}}""";

    public static TheoryData<WorkloadKind, string, string> Kinds => new()
    {
        // Reason: the built-in controllers keep one template where Kubernetes keeps it.
        { WorkloadKind.Deployment, $$$"""{"replicas":2,"template":{{{TemplateOf("server")}}}}""", ":server" },
        { WorkloadKind.DaemonSet, $$$"""{"template":{{{TemplateOf("agent")}}}}""", ":agent" },
        { WorkloadKind.Job, $$$"""{"template":{{{TemplateOf("download")}}}}""", ":download" },
        { WorkloadKind.CronJob, """{"jobTemplate":{"spec":{"template":""" + TemplateOf("refresh") + "}}}", ":refresh" },
        // Reason: a LeaderWorkerSet runs two templates; without a leader template the leader runs the worker's.
        { WorkloadKind.LeaderWorkerSet, $$$"""{"leaderWorkerTemplate":{"leaderTemplate":{{{TemplateOf("lead")}}},"workerTemplate":{{{TemplateOf("work")}}}}}""", "leader:lead|worker:work" },
        { WorkloadKind.LeaderWorkerSet, $$$"""{"leaderWorkerTemplate":{"workerTemplate":{{{TemplateOf("work")}}}}}""", ":work" },
        // Reason: KServe components are pod specs; the model server is the model field's container, named as KServe names it.
        { WorkloadKind.InferenceService, """{"predictor":{"model":{"modelFormat":{"name":"huggingface"},"image":"registry.example.com/hf"}},"transformer":{"containers":[{"name":"pre","image":"registry.example.com/pre"}]}}""", "predictor:kserve-container|transformer:pre" },
        { WorkloadKind.InferenceService, """{"predictor":{"containers":[{"name":"vllm","image":"registry.example.com/vllm"}],"workerSpec":{"containers":[{"name":"worker","image":"registry.example.com/vllm"}]}}}""", "predictor:vllm|predictor worker:worker" },
        { WorkloadKind.InferenceService, """{"predictor":{"sklearn":{"storageUri":"gs://models/iris"}}}""", ":kserve-container" },
        // Reason: KubeRay runs a head and one template per worker group, named by the group.
        { WorkloadKind.RayCluster, $$$"""{"headGroupSpec":{"template":{{{TemplateOf("head")}}}},"workerGroupSpecs":[{"groupName":"gpu","template":{{{TemplateOf("w")}}}}]}""", "head:head|worker group gpu:w" },
        { WorkloadKind.RayService, $$$"""{"rayClusterConfig":{"headGroupSpec":{"template":{{{TemplateOf("head")}}}},"workerGroupSpecs":[{"groupName":"a","template":{{{TemplateOf("a")}}}},{"groupName":"b","template":{{{TemplateOf("b")}}}}]}}""", "head:head|worker group a:a|worker group b:b" },
        // Reason: a Knative Service's revision template is a pod template.
        { WorkloadKind.Service, $$$"""{"template":{{{TemplateOf("user-container")}}}}""", ":user-container" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_template_is_found_with_its_role(WorkloadKind kind, string spec, string expected)
    {
        var workload = WorkloadReader.Read(kind, Object(spec));

        var found = string.Join("|", workload.AllTemplates.Select(t => t.Role + ":" + string.Join(",", t.Template.Spec.Containers.Select(c => c.Name))));
        Assert.Equal(expected, found);
        Assert.Equal(kind, workload.Kind);
        Assert.Equal("model", workload.Name);
    }

    [Fact]
    public void A_bare_pod_is_its_own_template_with_its_labels()
    {
        var pod = JsonNode.Parse($$$"""{"metadata":{"name":"model","labels":{"app":"ollama"}},"spec":{{{PodOf("ollama")}}}}""")!.AsObject();

        var workload = WorkloadReader.Read(WorkloadKind.Pod, pod);

        Assert.Equal("ollama", workload.Template.Metadata.Labels["app"]);
        Assert.Equal("ollama", Assert.Single(workload.Template.Spec.Containers).Name);
    }

    [Theory]
    // Reason: NetworkPolicies are written against the labels the controllers put on the pods, so the templates carry them.
    [InlineData(WorkloadKind.LeaderWorkerSet, """{"leaderWorkerTemplate":{"workerTemplate":{"spec":{"containers":[]}}}}""", "leaderworkerset.sigs.k8s.io/name", "model")]
    [InlineData(WorkloadKind.InferenceService, """{"predictor":{"containers":[]}}""", "serving.kserve.io/inferenceservice", "model")]
    [InlineData(WorkloadKind.InferenceService, """{"predictor":{"containers":[]}}""", "component", "predictor")]
    [InlineData(WorkloadKind.RayCluster, """{"headGroupSpec":{"template":{"spec":{"containers":[]}}}}""", "ray.io/cluster", "model")]
    [InlineData(WorkloadKind.RayCluster, """{"headGroupSpec":{"template":{"spec":{"containers":[]}}}}""", "ray.io/node-type", "head")]
    [InlineData(WorkloadKind.Service, """{"template":{"spec":{"containers":[]}}}""", "serving.knative.dev/service", "model")]
    public void Templates_carry_the_labels_their_controller_sets(WorkloadKind kind, string spec, string label, string value)
    {
        var workload = WorkloadReader.Read(kind, Object(spec));

        Assert.Equal(value, workload.Template.Metadata.Labels[label]);
    }

    [Fact]
    public void KServe_puts_the_services_and_the_components_labels_on_the_pods()
    {
        var isvc = JsonNode.Parse("""{"metadata":{"name":"model","labels":{"team":"nlp"}},"spec":{"predictor":{"labels":{"tier":"gpu"},"containers":[]}}}""")!.AsObject();

        var labels = WorkloadReader.Read(WorkloadKind.InferenceService, isvc).Template.Metadata.Labels;

        Assert.Equal(("nlp", "gpu"), (labels["team"], labels["tier"]));
    }

    [Theory]
    // Reason: a suspended Job, CronJob or RayCluster runs no pods, as a Deployment at zero replicas.
    [InlineData(WorkloadKind.Job, """{"suspend":true,"template":{"spec":{"containers":[]}}}""", 0)]
    [InlineData(WorkloadKind.Job, """{"template":{"spec":{"containers":[]}}}""", null)]
    [InlineData(WorkloadKind.CronJob, """{"suspend":true,"jobTemplate":{"spec":{"template":{"spec":{"containers":[]}}}}}""", 0)]
    [InlineData(WorkloadKind.RayCluster, """{"suspend":true,"headGroupSpec":{"template":{"spec":{"containers":[]}}}}""", 0)]
    [InlineData(WorkloadKind.LeaderWorkerSet, """{"replicas":3,"leaderWorkerTemplate":{"workerTemplate":{"spec":{"containers":[]}}}}""", 3)]
    public void Replicas_say_whether_the_workload_serves(WorkloadKind kind, string spec, int? replicas)
    {
        Assert.Equal(replicas, WorkloadReader.Read(kind, Object(spec)).Replicas);
    }

    [Theory]
    // Reason: a wrong type is named by its full path in the object, so the user finds it.
    [InlineData(WorkloadKind.LeaderWorkerSet, """{"leaderWorkerTemplate":{"workerTemplate":{"spec":{"containers":"vllm"}}}}""", "spec.leaderWorkerTemplate.workerTemplate.spec.containers")]
    [InlineData(WorkloadKind.RayCluster, """{"workerGroupSpecs":[{"groupName":"gpu","template":{"spec":{"containers":[{"name":7,"image":["x"]}]}}}]}""", "spec.workerGroupSpecs[0].template.spec.containers")]
    [InlineData(WorkloadKind.LeaderWorkerSet, """{"replicas":"two","leaderWorkerTemplate":{}}""", "spec.replicas")]
    public void A_wrong_type_names_the_field(WorkloadKind kind, string spec, string field)
    {
        var error = Assert.Throws<WorkloadFormatException>(() => WorkloadReader.Read(kind, Object(spec)));

        Assert.StartsWith(field, error.Field, StringComparison.Ordinal);
    }

    private static JsonObject Object(string spec) => JsonNode.Parse($$$"""{"metadata":{"name":"model"},"spec":{{{spec}}}}""")!.AsObject();
}
