using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator.Tests.Differential;

/// <summary>Small CRDs that probe one rule each, and the probe kind custom objects are written against.</summary>
internal static class ProbeCrds
{
    public const string GadgetsName = "gadgets.probe.aibaseline.io";

    /// <summary>A namespaced CRD <c>probes.probe.aibaseline.io</c> whose only version has <paramref name="rootSchema"/>.</summary>
    public static JsonObject Probe(string rootSchema) => Crd("probes", "Probe", $$$"""[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{{{rootSchema}}}}}]""");

    /// <summary>A probe whose root has one property, <c>spec</c>, with <paramref name="specSchema"/>.</summary>
    public static JsonObject ProbeSpec(string specSchema) => Probe($$$"""{"type":"object","properties":{"spec":{{{specSchema}}}}}""");

    /// <summary>A probe with the versions given as JSON.</summary>
    public static JsonObject ProbeVersions(string versions) => Crd("probes", "Probe", versions);

    /// <summary>The kind custom objects are checked against: one field per value rule; <c>frozen</c> is immutable by CEL.</summary>
    public static JsonObject Gadgets() => Crd("gadgets", "Gadget", """
        [{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":{"type":"object","properties":{
          "spec":{"type":"object","required":["size"],"properties":{
            "size":{"type":"integer","minimum":1,"maximum":10},
            "mode":{"type":"string","enum":["Fast","Slow"]},
            "name":{"type":"string","pattern":"^[a-z]+$","maxLength":8},
            "port":{"x-kubernetes-int-or-string":true},
            "tags":{"type":"array","maxItems":2,"x-kubernetes-list-type":"set","items":{"type":"string"}},
            "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
            "labels":{"type":"object","additionalProperties":{"type":"string"}},
            "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
            "ratio":{"type":"number","nullable":true},
            "frozen":{"type":"object","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"frozen is immutable"}],"properties":{"a":{"type":"string"}}}}},
          "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}}]
        """);

    private static JsonObject Crd(string plural, string kind, string versions) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.probe.aibaseline.io" },
        ["spec"] = new JsonObject
        {
            ["group"] = "probe.aibaseline.io",
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = $"{kind}List" },
            ["versions"] = JsonNode.Parse(versions),
        },
    };
}
