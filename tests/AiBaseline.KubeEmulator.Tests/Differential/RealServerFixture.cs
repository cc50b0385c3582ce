using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.ControlPlane;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests.Differential;

/// <summary>
/// One real control plane (from <c>KUBEBUILDER_ASSETS</c>) and one emulator for a test class, both serving the
/// probe kind <see cref="ProbeCrds.Gadgets"/>. Without the assets, <see cref="Missing"/> says why and the tests skip.
/// </summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    private ControlPlane.ControlPlane? plane;

    public string? Missing { get; private set; }

    public IKubernetes Real { get; private set; } = null!;

    public KubeEmulator Emulator { get; private set; } = null!;

    public IKubernetes EmulatorClient { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var (assets, missing) = ControlPlaneAssets.FromEnvironment();
        if (assets is null)
        {
            Missing = missing;
            return;
        }

        plane = await ControlPlane.ControlPlane.StartAsync(assets);
        Real = plane.AdminClient();
        await Real.CustomObjects.CreateClusterCustomObjectAsync(ProbeCrds.Gadgets(), "apiextensions.k8s.io", "v1", "customresourcedefinitions");
        await WaitEstablishedAsync(Real, ProbeCrds.GadgetsName);
        Emulator = await KubeEmulator.StartAsync();
        Emulator.ApplyCrd(ProbeCrds.Gadgets());
        EmulatorClient = Emulator.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        (Real as IDisposable)?.Dispose();
        (EmulatorClient as IDisposable)?.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (plane is not null)
        {
            await plane.DisposeAsync();
        }
    }

    /// <summary>What a server answered to one write: its code, the fields its causes name, and the spec it kept.</summary>
    public static async Task<Answer> AnswerOf(Func<Task<object>> call)
    {
        try
        {
            var body = JsonSerializer.SerializeToNode(await call());
            return new Answer(201, "", Canonical(body?["spec"])?.ToJsonString() ?? "");
        }
        catch (HttpOperationException e)
        {
            var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
            var fields = (status.Details?.Causes ?? []).Select(c => c.Field).Distinct().Order(StringComparer.Ordinal);
            return new Answer(status.Code ?? 0, string.Join(" ", fields), "") { Body = e.Response.Content };
        }
    }

    /// <summary>The value with object keys sorted, as servers order them differently.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    private static async Task WaitEstablishedAsync(IKubernetes client, string name)
    {
        for (var i = 0; i < 100; i++)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"CustomResourceDefinition {name} not Established after 10 s");
    }
}

/// <summary>One server's answer; <see cref="Body"/> is kept for failure messages and not compared.</summary>
public sealed record Answer(int Code, string Fields, string Spec)
{
    public string Body { get; init; } = "";

    public bool Equivalent(Answer other) => (Code, Fields, Spec) == (other.Code, other.Fields, other.Spec);

    public override string ToString() => $"{Code} [{Fields}] {Spec} {Body}";
}
