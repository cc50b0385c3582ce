using System.Text.Json.Nodes;
using AiBaseline.Crds;
using k8s.Models;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// The generated CRDs meet the API server's structural-schema rules and present the resources the way
/// kubectl users expect (names, scope, columns, list keys).
/// </summary>
public sealed class CrdStructureTests
{
    private static readonly IReadOnlyList<GeneratedCrd> Crds = CrdGenerator.GenerateAll();

    public static TheoryData<string> Kinds => new("AIModelDeployment", "BaselineProfile");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_is_structural(string kind)
    {
        var violations = new List<string>();
        Walk(Schema(kind), "", violations);

        Assert.Empty(violations);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Conditions_are_one_atomic_list_with_the_standard_condition_shape(string kind)
    {
        // Read by type by every tool, but written whole by one merge patch from the operator alone: as a map keyed by
        // type the API server kept 150 bytes of managed fields per condition on every write, for nothing.
        var conditions = Schema(kind)["properties"]!["status"]!["properties"]!["conditions"]!;
        var item = conditions["items"]!;

        Assert.Equal("atomic", (string?)conditions["x-kubernetes-list-type"]);
        Assert.Null(conditions["x-kubernetes-list-map-keys"]);
        Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"], Strings(item["required"]));
        Assert.Equal(["True", "False", "Unknown"], Strings(item["properties"]!["status"]!["enum"]));
        Assert.Equal("date-time", (string?)item["properties"]!["lastTransitionTime"]!["format"]);
        Assert.Equal("integer", (string?)item["properties"]!["observedGeneration"]!["type"]);
    }

    [Theory]
    [InlineData("AIModelDeployment", "status.controls", "only the operator writes it, whole, each time")]
    [InlineData("AIModelDeployment", "status.provisions", "only the operator writes it, whole, each time")]
    [InlineData("AIModelDeployment", "status.images", "only the operator writes it, whole, each time")]
    [InlineData("AIModelDeployment", "status.conditions", "only the operator writes it, whole, each time")]
    public void Status_lists_are_atomic_so_managed_fields_track_each_as_one_entry(string kind, string path, string reason)
    {
        var list = Node(Schema(kind), path);

        Assert.True((string?)list["x-kubernetes-list-type"] == "atomic", $"{path}: {reason}");
        Assert.Null(list["x-kubernetes-list-map-keys"]);
    }

    [Theory]
    [InlineData("AIModelDeployment", "spec.models", "name")]
    [InlineData("BaselineProfile", "spec.images.signatureKeys", "name")]
    public void Lists_with_an_identity_are_maps_keyed_by_a_required_field(string kind, string path, string key)
    {
        var list = Node(Schema(kind), path);

        Assert.Equal("map", (string?)list["x-kubernetes-list-type"]);
        Assert.Equal([key], Strings(list["x-kubernetes-list-map-keys"]));
        Assert.Contains(key, Strings(list["items"]!["required"]));
    }

    [Theory]
    [InlineData("AIModelDeployment", "spec.stage", "Design,Development,Deployment,Maintenance,Retirement")]
    [InlineData("AIModelDeployment", "spec.workloadRef.kind", "Deployment,StatefulSet,DaemonSet,Job,CronJob,Pod,LeaderWorkerSet,InferenceService,RayService,RayCluster,Service")]
    [InlineData("AIModelDeployment", "status.controls[].result", "Met,NotMet,Unknown,NotApplicable,Waived")]
    [InlineData("BaselineProfile", "spec.mode", "Audit,Enforce")]
    [InlineData("BaselineProfile", "spec.runtime.level", "Restricted,Baseline,Privileged")]
    public void Enums_list_the_string_values_of_the_csharp_enum(string kind, string path, string values)
    {
        var node = Node(Schema(kind), path);

        Assert.Equal("string", (string?)node["type"]);
        Assert.Equal(values.Split(','), Strings(node["enum"]));
    }

    [Theory]
    [InlineData("AIModelDeployment", "spec", "stage")]
    [InlineData("AIModelDeployment", "spec.workloadRef", "kind,name")]
    [InlineData("AIModelDeployment", "spec.evidence[]", "date,type,uri")]
    [InlineData("BaselineProfile", "spec.images.signatureKeys[]", "name,publicKey")]
    public void Required_fields_come_from_the_Required_attribute(string kind, string path, string required)
    {
        Assert.Equal(required.Split(','), Strings(Node(Schema(kind), path)["required"]));
    }

    [Theory]
    [InlineData("AIModelDeployment", "spec.profile", "default", "\"default\"")]
    [InlineData("AIModelDeployment", "spec.workloadRef.name", "minLength", "1")]
    [InlineData("AIModelDeployment", "spec.evidence[].date", "format", "\"date\"")]
    [InlineData("AIModelDeployment", "status.images[].verifiedAt", "format", "\"date-time\"")]
    [InlineData("AIModelDeployment", "status.observedGeneration", "format", "\"int64\"")]
    [InlineData("BaselineProfile", "spec.mode", "default", "\"Audit\"")]
    [InlineData("BaselineProfile", "spec.images.requireDigest", "default", "true")]
    [InlineData("BaselineProfile", "spec.secrets.allowServiceAccountToken", "default", "false")]
    [InlineData("BaselineProfile", "spec.evidence.maxAgeDays", "default", "365")]
    [InlineData("BaselineProfile", "spec.evidence.maxAgeDays", "minimum", "1")]
    [InlineData("BaselineProfile", "spec.evidence.maxAgeDays", "maximum", "3650")]
    [InlineData("BaselineProfile", "spec.network", "default", "{}")]
    public void Annotations_on_the_csharp_members_become_schema_keywords(string kind, string path, string keyword, string json)
    {
        Assert.Equal(json, Node(Schema(kind), path)[keyword]?.ToJsonString());
    }

    [Theory]
    [InlineData("AIModelDeployment", "spec.stage", "Life-cycle stage of the model, one of the five phases of EN 304 223; it decides which provisions apply.")]
    [InlineData("AIModelDeployment", "spec.models[]", "A model artifact: weights, adapters or a packaged model.")]
    [InlineData("BaselineProfile", "spec.images", "Image provenance rules (EN 304 223 5.2.1-2, 5.2.3-1, 5.2.3-2).")]
    public void Descriptions_come_from_the_doc_comments(string kind, string path, string description)
    {
        Assert.Equal(description, (string?)Node(Schema(kind), path)["description"]);
    }

    [Fact]
    public void Enum_descriptions_explain_the_documented_values()
    {
        var description = (string?)Node(Schema("AIModelDeployment"), "spec.evidence[].type")["description"];

        Assert.Contains("\nThreatModel: Threat model and its reviews (principle 3).", description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Metadata_is_left_to_the_api_server(string kind)
    {
        var metadata = Schema(kind)["properties"]!["metadata"]!.AsObject();

        Assert.Equal("object", (string?)metadata["type"]);
        Assert.False(metadata.ContainsKey("properties"));
    }

    [Fact]
    public void AIModelDeployment_is_namespaced_with_short_name_category_and_status_subresource()
    {
        var crd = Crd("AIModelDeployment");

        Assert.Equal("aimodeldeployments.aibaseline.io", crd.Metadata.Name);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        Assert.Equal("aimodeldeployments", crd.Spec.Names.Plural);
        Assert.Equal("aimodeldeployment", crd.Spec.Names.Singular);
        Assert.Equal(["aimd"], crd.Spec.Names.ShortNames);
        Assert.Equal(["aibaseline"], crd.Spec.Names.Categories);
        Assert.NotNull(crd.Spec.Versions.Single().Subresources.Status);
        Assert.Equal(["spec"], Strings(Schema("AIModelDeployment")["required"]));
    }

    [Fact]
    public void BaselineProfile_is_cluster_scoped_with_short_name_category_and_status_subresource()
    {
        var crd = Crd("BaselineProfile");

        Assert.Equal("baselineprofiles.aibaseline.io", crd.Metadata.Name);
        Assert.Equal("Cluster", crd.Spec.Scope);
        Assert.Equal(["blp"], crd.Spec.Names.ShortNames);
        Assert.Equal(["aibaseline"], crd.Spec.Names.Categories);
        Assert.NotNull(crd.Spec.Versions.Single().Subresources.Status);
    }

    [Fact]
    public void AIModelDeployment_columns_show_stage_readiness_verdict_compliance_and_age_with_the_message_in_wide_output()
    {
        var columns = Crd("AIModelDeployment").Spec.Versions.Single().AdditionalPrinterColumns
            .Select(c => $"{c.Name}|{c.Type}|{c.JsonPath}|{c.Priority ?? 0}");

        Assert.Equal(
            [
                "Stage|string|.spec.stage|0",
                "Ready|string|.status.conditions[?(@.type==\"Ready\")].status|0",
                "Verdict|string|.status.summary.verdict|0",
                "Compliance|string|.status.compliance|0",
                "Age|date|.metadata.creationTimestamp|0",
                "Message|string|.status.conditions[?(@.type==\"Ready\")].message|1",
            ],
            columns);
    }

    [Fact]
    public void BaselineProfile_columns_show_mode_undeclared_model_servers_and_age()
    {
        var columns = Crd("BaselineProfile").Spec.Versions.Single().AdditionalPrinterColumns
            .Select(c => $"{c.Name}|{c.Type}|{c.JsonPath}");

        Assert.Equal(["Mode|string|.spec.mode", "Undeclared|integer|.status.inventory.undeclared", "Age|date|.metadata.creationTimestamp"], columns);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Printer_columns_point_at_fields_the_schema_declares(string kind)
    {
        foreach (var column in Crd(kind).Spec.Versions.Single().AdditionalPrinterColumns.Where(c => !c.JsonPath.StartsWith(".metadata.", StringComparison.Ordinal)))
        {
            var path = column.JsonPath.TrimStart('.').Replace("[?(@.type==\"Ready\")]", "[]", StringComparison.Ordinal);
            Assert.NotNull(Node(Schema(kind), path)["type"]);
        }
    }

    private static V1CustomResourceDefinition Crd(string kind) => Crds.Single(c => c.Definition.Spec.Names.Kind == kind).Definition;

    internal static JsonObject Schema(string kind) => CrdGenerator.SchemaOf(Crd(kind));

    // "spec.models[].name": properties by dots, "[]" steps into items.
    private static JsonNode Node(JsonObject schema, string path)
    {
        JsonNode node = schema;
        foreach (var part in path.Split('.'))
        {
            var name = part.EndsWith("[]", StringComparison.Ordinal) ? part[..^2] : part;
            node = node["properties"]?[name] ?? throw new KeyNotFoundException($"{path}: no property {name}");
            if (part.EndsWith("[]", StringComparison.Ordinal))
            {
                node = node["items"]!;
            }
        }

        return node;
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(v => v!.GetValue<string>())];

    private static void Walk(JsonNode? node, string path, List<string> violations)
    {
        if (node is not JsonObject schema)
        {
            violations.Add($"{path}: not a schema object");
            return;
        }

        var exempt = schema["x-kubernetes-int-or-string"] is not null || schema["x-kubernetes-preserve-unknown-fields"] is not null;
        if (schema["type"] is JsonArray)
        {
            violations.Add($"{path}: type is an array");
        }
        else if (!exempt && string.IsNullOrEmpty((string?)schema["type"]))
        {
            violations.Add($"{path}: no type");
        }

        foreach (var (key, value) in schema)
        {
            if (key.StartsWith('$'))
            {
                violations.Add($"{path}: {key} is not allowed");
            }

            if (key is "allOf" or "anyOf" or "oneOf" or "not")
            {
                foreach (var branch in value!.AsArray())
                {
                    foreach (var forbidden in new[] { "type", "description", "default" })
                    {
                        if (branch?[forbidden] is not null)
                        {
                            violations.Add($"{path}: {forbidden} inside {key}");
                        }
                    }
                }
            }
        }

        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
        {
            Walk(child, $"{path}.{name}", violations);
        }

        if (schema["items"] is { } items)
        {
            Walk(items, path + "[]", violations);
        }

        if ((string?)schema["type"] == "array" && schema["items"] is null)
        {
            violations.Add($"{path}: array without items");
        }
    }
}
