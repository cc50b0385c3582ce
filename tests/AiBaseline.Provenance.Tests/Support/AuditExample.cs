using System.Text.Json.Nodes;
using AiBaseline.Audit;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>The compliant example rewritten to images on a test registry, and <c>aibaseline audit</c> run over it in-process.</summary>
internal static class AuditExample
{
    private const string ExampleModel = "registry.acme.example/models/llama-3.1-8b-instruct@sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private const string ExampleModelDigest = "sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private const string ExamplePuller = "registry.acme.example/ml-platform/model-puller@sha256:9b2e4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b";
    private const string ExampleServer = "registry.acme.example/mirror/vllm/vllm-openai@sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";

    /// <summary>
    /// Writes the compliant example under <paramref name="dir"/> with every image and the model at <paramref name="image"/>,
    /// and the default profile trusting <paramref name="registryHost"/> with <paramref name="imagesYaml"/> (indented four
    /// spaces, under spec.images) added. Returns the manifests folder.
    /// </summary>
    public static string Write(string dir, string image, string registryHost, string imagesYaml)
    {
        var digest = image.Split('@')[1];
        var example = Path.Combine(Tools.RepositoryRoot(), "examples", "llm-inference-compliant");
        var target = Path.Combine(dir, "manifests");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(example, "*.yaml"))
        {
            var text = File.ReadAllText(file).Replace(ExampleModel, image, StringComparison.Ordinal).Replace(ExampleModelDigest, digest, StringComparison.Ordinal)
                .Replace(ExamplePuller, image, StringComparison.Ordinal).Replace(ExampleServer, image, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
        }

        var profile = File.ReadAllText(Path.Combine(Tools.RepositoryRoot(), "examples", "profiles", "default.yaml")).Replace(
            "    - registry.acme.example/\n", $"    - {registryHost}/\n{imagesYaml}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(target, "profile.yaml"), profile);
        return target;
    }

    /// <summary>A YAML block scalar's lines: <paramref name="text"/> indented by <paramref name="indent"/> spaces.</summary>
    public static string Block(string text, int indent) =>
        string.Join("", text.Trim().Split('\n').Select(line => new string(' ', indent) + line + "\n"));

    public static (int Exit, JsonNode Report, string Stderr) Audit(string manifests, bool verify, params string[] extra)
    {
        var root = new System.CommandLine.RootCommand { AiBaseline.Commands.AuditCommand.Create(TimeProvider.System) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["audit", manifests, "-o", "json", .. verify ? new[] { "--verify", "--verify-timeout", "5" } : [], .. extra];
        var exit = root.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.True(exit != AuditExitCodes.BadInput, stderr.ToString());
        return (exit, JsonNode.Parse(stdout.ToString())!, stderr.ToString());
    }

    public static JsonNode Status(JsonNode report) => report["items"]![0]!["status"]!;

    public static JsonNode Condition(JsonNode report, string type) =>
        Status(report)["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!;
}
