using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static AiBaseline.KubeEmulator.Tests.Differential.ProbeCrds;

namespace AiBaseline.KubeEmulator.Tests.Differential;

/// <summary>
/// Each CRD goes to the emulator and to a real API server (as a dry run); both must accept it, or both refuse it
/// naming the same fields. A row's name says what it probes; every difference found became a fix in the emulator.
/// </summary>
public sealed class CrdDifferentialTests(RealServerFixture servers) : IClassFixture<RealServerFixture>
{
    private const string Listed = """{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":KEYS,"items":{"type":"object","properties":{"k":KEY}REQUIRED}}}}""";

    private static readonly ImmutableDictionary<string, Func<JsonObject>> Rows = new Dictionary<string, Func<JsonObject>>
    {
        ["valid: plain object"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string"}}}"""),
        ["valid: root metadata restricting name"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":10}}}}}"""),
        ["valid: root metadata name of any scalar type, as the server ignores it"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"integer"}}}}}"""),
        ["valid: nested metadata may say anything"] = () => ProbeSpec("""{"type":"object","properties":{"metadata":{"type":"object","description":"x"}}}"""),
        ["valid: int-or-string without type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"x-kubernetes-int-or-string":true}}}"""),
        ["valid: preserve-unknown-fields without type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"x-kubernetes-preserve-unknown-fields":true}}}"""),
        ["valid: map list with a required key"] = () => ProbeSpec(Listed.Replace("KEYS", """["k"]""").Replace("KEY", """{"type":"string"}""").Replace("REQUIRED", ""","required":["k"]""")),
        ["valid: map list with a defaulted key"] = () => ProbeSpec(Listed.Replace("KEYS", """["k"]""").Replace("KEY", """{"type":"string","default":"x"}""").Replace("REQUIRED", "")),
        ["valid: default in its enum"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","enum":["A"],"default":"A"}}}"""),
        ["valid: null default"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","default":null}}}"""),
        ["valid: nullable with null default"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","nullable":true,"default":null}}}"""),
        ["valid: anyOf only constraining"] = () => ProbeSpec("""{"type":"object","anyOf":[{"required":["b"]}],"properties":{"b":{"type":"string"}}}"""),
        ["invalid: description on root metadata"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","description":"x"}}}"""),
        ["invalid: labels under root metadata"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}"""),
        ["invalid: root metadata not an object"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"string"}}}"""),
        ["invalid: default on root metadata"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","default":{}}}}"""),
        ["invalid: default under root metadata"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","default":"a"}}}}}"""),
        ["invalid: kind not a string"] = () => Probe("""{"type":"object","properties":{"kind":{"type":"integer"}}}"""),
        ["invalid: root not an object"] = () => Probe("""{"type":"string"}"""),
        ["invalid: root without type"] = () => Probe("""{"properties":{"spec":{"type":"object"}}}"""),
        ["invalid: additionalProperties at the root"] = () => Probe("""{"type":"object","additionalProperties":{"type":"string"}}"""),
        ["invalid: field without type"] = () => ProbeSpec("""{"properties":{"a":{"type":"string"}}}"""),
        ["invalid: items without type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","items":{"description":"x"}}}}"""),
        ["invalid: array without items"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array"}}}"""),
        ["invalid: items as a list of schemas"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","items":[{"type":"string"}]}}}"""),
        ["invalid: $ref"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","$ref":"#/definitions/x"}}}"""),
        ["invalid: definitions"] = () => ProbeSpec("""{"type":"object","definitions":{"x":{"type":"string"}}}"""),
        ["invalid: patternProperties"] = () => ProbeSpec("""{"type":"object","patternProperties":{"x":{"type":"string"}}}"""),
        ["invalid: properties and additionalProperties"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}"""),
        ["invalid: properties and additionalProperties false"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"""),
        ["invalid: unknown type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"str"}}}"""),
        ["invalid: type null"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"null"}}}"""),
        ["invalid: uniqueItems"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","uniqueItems":true,"items":{"type":"string"}}}}"""),
        ["invalid: preserve-unknown-fields false"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"object","x-kubernetes-preserve-unknown-fields":false}}}"""),
        ["invalid: int-or-string with preserve-unknown-fields"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"x-kubernetes-int-or-string":true,"x-kubernetes-preserve-unknown-fields":true}}}"""),
        ["invalid: embedded resource not an object"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","x-kubernetes-embedded-resource":true}}}"""),
        ["invalid: embedded resource without properties"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"object","x-kubernetes-embedded-resource":true}}}"""),
        ["invalid: pattern that does not compile"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","pattern":"(("}}}"""),
        ["invalid: type inside anyOf"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","anyOf":[{"type":"string"}]}}}"""),
        ["invalid: unknown list type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"bag","items":{"type":"string"}}}}"""),
        ["invalid: unknown map type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"object","x-kubernetes-map-type":"bag"}}}"""),
        ["invalid: set of granular objects"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"object"}}}}"""),
        ["invalid: set of set lists"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}}"""),
        ["invalid: map list without keys"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object","properties":{"k":{"type":"string"}},"required":["k"]}}}}"""),
        ["invalid: map keys without list type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-map-keys":["k"],"items":{"type":"object","properties":{"k":{"type":"string"}},"required":["k"]}}}}"""),
        ["invalid: map keys on a set"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"set","x-kubernetes-list-map-keys":["k"],"items":{"type":"string"}}}}"""),
        ["invalid: map key neither required nor defaulted"] = () => ProbeSpec(Listed.Replace("KEYS", """["k"]""").Replace("KEY", """{"type":"string"}""").Replace("REQUIRED", "")),
        ["invalid: map key not an item property"] = () => ProbeSpec(Listed.Replace("KEYS", """["z"]""").Replace("KEY", """{"type":"string"}""").Replace("REQUIRED", ""","required":["k"]""")),
        ["invalid: map key twice"] = () => ProbeSpec(Listed.Replace("KEYS", """["k","k"]""").Replace("KEY", """{"type":"string"}""").Replace("REQUIRED", ""","required":["k"]""")),
        ["invalid: map key an object"] = () => ProbeSpec(Listed.Replace("KEYS", """["k"]""").Replace("KEY", """{"type":"object"}""").Replace("REQUIRED", ""","required":["k"]""")),
        ["invalid: map list of strings"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"],"items":{"type":"string"}}}}"""),
        ["invalid: default of the wrong type"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"integer","default":"x"}}}"""),
        ["invalid: default outside its enum"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"string","enum":["A"],"default":"B"}}}"""),
        ["invalid: default below its minimum"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"integer","minimum":3,"default":1}}}"""),
        ["invalid: default with an unknown field"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"default":{"c":"x"}}}}"""),
        ["invalid: default missing a required field"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"required":["b"],"default":{}}}}"""),
        ["invalid: default of an item"] = () => ProbeSpec("""{"type":"object","properties":{"a":{"type":"array","items":{"type":"integer","default":"x"}}}}"""),
        ["invalid: two errors at once"] = () => Probe("""{"type":"object","properties":{"metadata":{"type":"object","description":"x"},"spec":{"properties":{}}}}"""),
        ["invalid: version without schema"] = () => ProbeVersions("""[{"name":"v1","served":true,"storage":true}]"""),
        ["invalid: second version differs, paths name it"] = () => ProbeVersions("""[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}},{"name":"v2","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object","properties":{"metadata":{"type":"object","description":"x"}}}}}]"""),
        ["invalid: versions alike, paths fold into spec.validation"] = () => ProbeVersions("""[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"metadata":{"type":"object","description":"x"}}}}},{"name":"v2","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object","properties":{"metadata":{"type":"object","description":"x"}}}}}]"""),
    }.ToImmutableDictionary();

    public static TheoryData<string> ProbeRows => [.. Rows.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> ShippedCrds => [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "crds"), "*.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ProbeRows))]
    public async Task Probe_CRDs_get_the_same_answer_from_the_emulator_and_a_real_API_server(string row) =>
        await AssertSameAnswer(row, Rows[row]());

    [Theory]
    [MemberData(nameof(ShippedCrds))]
    public async Task Shipped_CRDs_get_the_same_answer_from_the_emulator_and_a_real_API_server(string file)
    {
        var crd = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "crds", file))).OfType<V1CustomResourceDefinition>().Single();
        var answer = await AssertSameAnswer(file, JsonNode.Parse(KubernetesJson.Serialize(crd))!.AsObject());
        Assert.Equal(201, answer.Code);
    }

    private async Task<Answer> AssertSameAnswer(string row, JsonObject crd)
    {
        Assert.SkipWhen(servers.Missing is not null, servers.Missing ?? "");
        await using var emulator = await KubeEmulator.StartAsync();
        using var client = emulator.CreateClient();

        var real = await RealServerFixture.AnswerOf(() => servers.Real.CustomObjects.CreateClusterCustomObjectAsync(crd, "apiextensions.k8s.io", "v1", "customresourcedefinitions", dryRun: "All"));
        var emulated = await RealServerFixture.AnswerOf(() => client.CustomObjects.CreateClusterCustomObjectAsync(crd, "apiextensions.k8s.io", "v1", "customresourcedefinitions"));

        Assert.True(real.Code == emulated.Code && real.Fields == emulated.Fields, $"{row}:\n real server: {real}\n emulator:    {emulated}");
        return real;
    }
}
