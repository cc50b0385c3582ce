using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Admission;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>Builds AdmissionReview requests and the cluster the webhook sees, and runs them through the handler.</summary>
internal sealed class AdmissionFixtures
{
    public const string Ns = "team-a";
    public const string Digest = "sha256:1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988";
    public const string PinnedImage = "registry.acme.example/llm/server@" + Digest;
    public const string TaggedImage = "registry.acme.example/llm/server:1.0";

    public FakeState State { get; } = new();

    public FakeLookup Lookup { get; } = new();

    public List<(AdmissionSubject Subject, AdmissionVerdict Verdict)> Denials { get; } = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public Prometheus.CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public AdmissionHandler Handler(params string[] excluded) => new(
        State,
        Lookup,
        new AdmissionOptions { ExcludedNamespaces = new HashSet<string>(["kube-system", "aibaseline-system", .. excluded], StringComparer.Ordinal) },
        new AdmissionMetrics(Registry),
        new Recorder(Denials),
        Time,
        NullLogger<AdmissionHandler>.Instance);

    /// <summary>An AIModelDeployment "llama" governing Deployment "llama" in <see cref="Ns"/> with a compliant model, and its profile.</summary>
    public AdmissionFixtures Governed(ProfileMode mode, Action<BaselineProfileSpec>? profile = null, WorkloadKind kind = WorkloadKind.Deployment, LifecycleStage stage = LifecycleStage.Deployment)
    {
        State.Deployments.Add(ModelDeployment(stage, kind));
        var spec = new BaselineProfileSpec { Mode = mode, Images = new ImagePolicy { TrustedRegistries = ["registry.acme.example/"] } };
        profile?.Invoke(spec);
        State.Profiles["default"] = new BaselineProfile { Metadata = new V1ObjectMeta { Name = "default" }, Spec = spec };
        return this;
    }

    public static AIModelDeployment ModelDeployment(LifecycleStage stage = LifecycleStage.Deployment, WorkloadKind kind = WorkloadKind.Deployment, string? modelDigest = Digest) => new()
    {
        ApiVersion = ApiGroup.GroupVersion,
        Kind = ApiGroup.AIModelDeploymentKind,
        Metadata = new V1ObjectMeta { Name = "llama", NamespaceProperty = Ns },
        Spec = new AIModelDeploymentSpec
        {
            Stage = stage,
            WorkloadRef = new WorkloadReference { Kind = kind, Name = "llama" },
            Models = [new ModelArtifact { Name = "weights", Source = "oci://registry.acme.example/models/llama", Digest = modelDigest }],
        },
    };

    /// <summary>A pod spec that meets the strict baseline: pinned trusted image, restricted securityContext, no token.</summary>
    public static V1PodSpec CompliantPod(string image = PinnedImage) => new()
    {
        AutomountServiceAccountToken = false,
        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
        Containers =
        [
            new V1Container
            {
                Name = "server",
                Image = image,
                SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
            },
        ],
    };

    public static V1Deployment Deployment(V1PodSpec pod, string name = "llama", int replicas = 1) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } }, Spec = pod },
        },
    };

    /// <summary>An AdmissionReview v1 request for <paramref name="obj"/>.</summary>
    public static byte[] Review(string operation, string group, string kind, object? obj, object? oldObject = null, string ns = Ns, string name = "llama", bool dryRun = false, string subResource = "")
    {
        var request = new JsonObject
        {
            ["uid"] = "0a1b2c3d-0000-4000-8000-000000000001",
            ["kind"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["kind"] = kind },
            ["namespace"] = ns,
            ["name"] = name,
            ["operation"] = operation,
            ["dryRun"] = dryRun,
            ["userInfo"] = new JsonObject { ["username"] = "alice" },
        };
        if (subResource.Length > 0)
        {
            request["subResource"] = subResource;
        }

        if (obj is not null)
        {
            request["object"] = JsonNode.Parse(KubernetesJson.Serialize(obj));
        }

        if (oldObject is not null)
        {
            request["oldObject"] = JsonNode.Parse(KubernetesJson.Serialize(oldObject));
        }

        var review = new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }

    /// <summary>Runs a request through the handler and reads the response as the API server would.</summary>
    public async Task<Answer> SendAsync(byte[] body, AdmissionHandler? handler = null)
    {
        var answer = await (handler ?? Handler()).HandleAsync(body, TestContext.Current.CancellationToken);
        var text = Encoding.UTF8.GetString(answer.Body.Span);
        if (answer.StatusCode != 200)
        {
            return new Answer(answer.StatusCode, false, text, [], null);
        }

        var response = JsonNode.Parse(text)!["response"]!;
        return new Answer(
            200,
            response["allowed"]!.GetValue<bool>(),
            response["status"]?["message"]?.GetValue<string>() ?? "",
            [.. response["warnings"]?.AsArray().Select(w => w!.GetValue<string>()) ?? []],
            response["uid"]?.GetValue<string>());
    }

    public double Counted(string decision, string mode, string kind = "Deployment", string operation = "CREATE")
    {
        using var stream = new MemoryStream();
        Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        var line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
            .FirstOrDefault(l => l.StartsWith("aibaseline_admission_requests_total{", StringComparison.Ordinal)
                && l.Contains($"decision=\"{decision}\"", StringComparison.Ordinal) && l.Contains($"mode=\"{mode}\"", StringComparison.Ordinal)
                && l.Contains($"kind=\"{kind}\"", StringComparison.Ordinal) && l.Contains($"operation=\"{operation}\"", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public sealed record Answer(int StatusCode, bool Allowed, string Message, ImmutableArray<string> Warnings, string? Uid);

    internal sealed class FakeState : IAdmissionState
    {
        public List<AIModelDeployment> Deployments { get; } = [];

        public Dictionary<string, BaselineProfile> Profiles { get; } = [];

        public List<V1ServiceAccount> ServiceAccounts { get; } = [];

        public AIModelDeployment? GoverningDeployment(string ns, WorkloadKind kind, string name) =>
            Deployments.FirstOrDefault(d => d.Metadata.NamespaceProperty == ns && d.Spec.WorkloadRef?.Kind == kind && d.Spec.WorkloadRef.Name == name);

        public BaselineProfile? Profile(string name) => Profiles.GetValueOrDefault(name);

        public V1ServiceAccount? ServiceAccount(string ns, string name) =>
            ServiceAccounts.FirstOrDefault(a => a.Metadata.NamespaceProperty == ns && a.Metadata.Name == name);

        public WorkloadState? WorkloadOf(AIModelDeployment deployment) => null;
    }

    /// <summary>The verification cache: answers from <see cref="Known"/>, or never (still verifying) for a reference it does not know.</summary>
    internal sealed class FakeLookup : IVerificationLookup
    {
        public Dictionary<string, ArtifactVerification> Known { get; } = new(StringComparer.Ordinal);

        public List<string> Asked { get; } = [];

        public Task<IReadOnlyDictionary<string, ArtifactVerification>> LookupAsync(AdmissionSubject subject, ImmutableArray<string> references, CancellationToken ct)
        {
            Asked.AddRange(references);
            return references.All(Known.ContainsKey)
                ? Task.FromResult<IReadOnlyDictionary<string, ArtifactVerification>>(references.ToDictionary(r => r, r => Known[r], StringComparer.Ordinal))
                : new TaskCompletionSource<IReadOnlyDictionary<string, ArtifactVerification>>().Task;
        }
    }

    private sealed class Recorder(List<(AdmissionSubject, AdmissionVerdict)> denials) : IDenialRecorder
    {
        public void Denied(AdmissionSubject subject, AdmissionVerdict verdict) => denials.Add((subject, verdict));
    }
}
