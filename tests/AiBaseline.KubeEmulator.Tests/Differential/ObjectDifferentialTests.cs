using k8s;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator.Tests.Differential;

/// <summary>
/// Each custom object (a Gadget, see <see cref="ProbeCrds.Gadgets"/>) goes to the emulator and to a real API server
/// (as a dry run); both must accept it keeping the same spec, or both refuse it naming the same fields.
/// </summary>
public sealed class ObjectDifferentialTests(RealServerFixture servers) : IClassFixture<RealServerFixture>
{
    [Theory]
    [InlineData("valid", """{"size":3}""")]
    [InlineData("valid-every-field", """{"size":3,"mode":"Fast","name":"abc","port":"http","tags":["a","b"],"ports":[{"name":"a","port":1}],"labels":{"a":"b"},"free":{"x":{"y":1}},"ratio":0.5}""")]
    [InlineData("wrong-type", """{"size":"3"}""")]
    [InlineData("float-for-integer", """{"size":1.5}""")]
    [InlineData("above-maximum", """{"size":11}""")]
    [InlineData("wrong-enum", """{"size":3,"mode":"Medium"}""")]
    [InlineData("missing-required", """{}""")]
    [InlineData("unknown-field-pruned", """{"size":3,"colour":"blue"}""")]
    [InlineData("too-many-items", """{"size":3,"tags":["a","b","c"]}""")]
    [InlineData("pattern", """{"size":3,"name":"ABC"}""")]
    [InlineData("too-long", """{"size":3,"name":"abcdefghij"}""")]
    [InlineData("int-or-string-boolean", """{"size":3,"port":true}""")]
    [InlineData("additional-property-wrong-type", """{"size":3,"labels":{"a":1}}""")]
    [InlineData("null-for-nullable", """{"size":3,"ratio":null}""")]
    [InlineData("null-for-non-nullable-pruned", """{"size":3,"mode":null}""")]
    [InlineData("duplicate-map-list-key", """{"size":3,"ports":[{"name":"a","port":1},{"name":"a","port":2}]}""")]
    [InlineData("map-list-item-without-key", """{"size":3,"ports":[{"port":1}]}""")]
    [InlineData("duplicate-set-item", """{"size":3,"tags":["a","a"]}""")]
    [InlineData("Bad_Name", """{"size":3}""")]
    public async Task Custom_objects_get_the_same_answer_from_the_emulator_and_a_real_API_server(string name, string spec)
    {
        Assert.SkipWhen(servers.Missing is not null, servers.Missing ?? "");
        JsonObject Gadget() => new()
        {
            ["apiVersion"] = "probe.aibaseline.io/v1",
            ["kind"] = "Gadget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = JsonNode.Parse(spec),
        };

        var real = await RealServerFixture.AnswerOf(() => servers.Real.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(), "probe.aibaseline.io", "v1", "default", "gadgets", dryRun: "All"));
        var emulated = await RealServerFixture.AnswerOf(() => servers.EmulatorClient.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(), "probe.aibaseline.io", "v1", "default", "gadgets"));

        Assert.True(real.Equivalent(emulated), $"{name}:\n real server: {real}\n emulator:    {emulated}");
    }

    [Theory]
    [InlineData("frozen-changed", """{"size":3,"frozen":{"a":"x"}}""", """{"size":3,"frozen":{"a":"y"}}""")]
    [InlineData("frozen-field-added", """{"size":3,"frozen":{}}""", """{"size":3,"frozen":{"a":"y"}}""")]
    [InlineData("frozen-kept-other-field-changed", """{"size":3,"frozen":{"a":"x"}}""", """{"size":4,"frozen":{"a":"x"}}""")]
    [InlineData("frozen-set-where-absent", """{"size":3}""", """{"size":3,"frozen":{"a":"x"}}""")]
    [InlineData("frozen-removed", """{"size":3,"frozen":{"a":"x"}}""", """{"size":3}""")]
    public async Task Updates_meet_the_immutability_rule_as_on_a_real_API_server(string name, string before, string after)
    {
        Assert.SkipWhen(servers.Missing is not null, servers.Missing ?? "");
        JsonObject Gadget(string spec) => new()
        {
            ["apiVersion"] = "probe.aibaseline.io/v1",
            ["kind"] = "Gadget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = JsonNode.Parse(spec),
        };

        await servers.Real.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(before), "probe.aibaseline.io", "v1", "default", "gadgets");
        await servers.EmulatorClient.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(before), "probe.aibaseline.io", "v1", "default", "gadgets");
        var real = await RealServerFixture.AnswerOf(() => servers.Real.CustomObjects.ReplaceNamespacedCustomObjectAsync(Gadget(after), "probe.aibaseline.io", "v1", "default", "gadgets", name, dryRun: "All"));
        var emulated = await RealServerFixture.AnswerOf(() => servers.EmulatorClient.CustomObjects.ReplaceNamespacedCustomObjectAsync(Gadget(after), "probe.aibaseline.io", "v1", "default", "gadgets", name));

        Assert.True(real.Equivalent(emulated), $"{name}:\n real server: {real}\n emulator:    {emulated}");
    }
}
