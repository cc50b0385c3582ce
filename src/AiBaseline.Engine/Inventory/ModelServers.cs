using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Inventory;

/// <summary>
/// Recognises the workloads that serve AI models, for the asset inventory of EN 304 223 5.2.1-1: a serving stack's own
/// kind (KServe InferenceService, KubeRay RayService, LeaderWorkerSet), a known model-server image (vLLM, TGI, Triton,
/// Ollama, SGLang, NIM, TorchServe, TF Serving, llama.cpp, LocalAI, KServe runtimes…), or a request for GPUs or other
/// accelerators. A false alarm costs more than a miss, so every signal is specific: a generic web image, a database, or a
/// batch Job without accelerators is never one; a DaemonSet counts only by image (node agents of GPU nodes are not models).
/// </summary>
public static class ModelServers
{
    // Repositories by their last path segment (mirrors keep it: registry.acme.example/mirror/vllm/vllm-openai).
    private static readonly ImmutableDictionary<string, string> ByRepository = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["vllm-openai"] = "vLLM", ["vllm"] = "vLLM", ["vllm-tpu"] = "vLLM", ["vllm-openai-rocm"] = "vLLM",
        ["text-generation-inference"] = "Text Generation Inference", ["tgi-gaudi"] = "Text Generation Inference",
        ["text-embeddings-inference"] = "Text Embeddings Inference",
        ["tritonserver"] = "Triton Inference Server",
        ["ollama"] = "Ollama",
        ["sglang"] = "SGLang",
        ["torchserve"] = "TorchServe",
        ["llama.cpp"] = "llama.cpp",
        ["local-ai"] = "LocalAI", ["localai"] = "LocalAI",
        ["huggingfaceserver"] = "KServe runtime", ["sklearnserver"] = "KServe runtime", ["xgbserver"] = "KServe runtime",
        ["lgbserver"] = "KServe runtime", ["pmmlserver"] = "KServe runtime", ["paddleserver"] = "KServe runtime",
        ["mlserver"] = "MLServer",
        ["model_server"] = "OpenVINO Model Server",
        ["lmdeploy"] = "LMDeploy",
        ["xinference"] = "Xinference",
        ["infinity"] = "Infinity",
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    // Repositories whose last segment alone is too common a word.
    private static readonly ImmutableDictionary<string, string> ByPath = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["tensorflow/serving"] = "TensorFlow Serving",
        ["openvino/model_server"] = "OpenVINO Model Server",
        ["michaelf34/infinity"] = "Infinity",
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    // Segments that are a known name only under these paths.
    private static readonly ImmutableHashSet<string> NeedsPath = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "infinity", "model_server");

    /// <summary>Extended resources of accelerators.</summary>
    private static readonly string[] Accelerators =
        ["nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe", "habana.ai/gaudi", "google.com/tpu", "aws.amazon.com/neuron", "aws.amazon.com/neuroncore", "aws.amazon.com/neurondevice"];

    /// <summary>Why the workload serves a model, or null when nothing says it does.</summary>
    public static string? Why(WorkloadState workload)
    {
        switch (workload.Kind)
        {
            case WorkloadKind.InferenceService:
                return "a KServe InferenceService";
            case WorkloadKind.RayService:
                return "a Ray Serve RayService";
            case WorkloadKind.LeaderWorkerSet:
                return "a LeaderWorkerSet (multi-host inference)";
        }

        foreach (var template in workload.AllTemplates)
        {
            foreach (var container in Containers(template.Template.Spec))
            {
                if (Server(container.Image) is { } server)
                {
                    return $"container {container.Name} runs {server} ({container.Image})";
                }
            }
        }

        if (workload.Kind == WorkloadKind.DaemonSet)
        {
            return null;
        }

        foreach (var template in workload.AllTemplates)
        {
            foreach (var container in Containers(template.Template.Spec))
            {
                if (Accelerator(container) is { } accelerator)
                {
                    return $"container {container.Name} requests {accelerator}";
                }
            }
        }

        return null;
    }

    /// <summary>The model server an image reference names, or null.</summary>
    public static string? Server(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return null;
        }

        var repository = Repository(image);
        if (repository.StartsWith("nvcr.io/nim/", StringComparison.OrdinalIgnoreCase))
        {
            return "NVIDIA NIM";
        }

        var segments = repository.Split('/');
        var last = segments[^1];
        var path = segments.Length >= 2 ? $"{segments[^2]}/{last}" : last;
        if (ByPath.TryGetValue(path, out var byPath))
        {
            return byPath;
        }

        return !NeedsPath.Contains(last) && ByRepository.TryGetValue(last, out var server) ? server : null;
    }

    // The repository without tag or digest: "ghcr.io/huggingface/text-generation-inference:2.4" → "ghcr.io/huggingface/text-generation-inference".
    private static string Repository(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash ? name[..colon] : name;
    }

    private static string? Accelerator(V1Container container)
    {
        var keys = (container.Resources?.Limits?.Keys ?? []).Concat(container.Resources?.Requests?.Keys ?? []);
        return keys.FirstOrDefault(k => Accelerators.Contains(k, StringComparer.Ordinal) || k.StartsWith("nvidia.com/mig-", StringComparison.Ordinal));
    }

    private static IEnumerable<V1Container> Containers(V1PodSpec? pod) => (pod?.InitContainers ?? []).Concat(pod?.Containers ?? []);
}

/// <summary>A model server that no AIModelDeployment declares.</summary>
/// <param name="Kind">Its workload kind.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Why">What makes it a model server.</param>
public sealed record UndeclaredWorkload(WorkloadKind Kind, string Namespace, string Name, string Why)
{
    /// <summary>How messages name it: <c>Deployment ns/name</c>.</summary>
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
