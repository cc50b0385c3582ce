using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class OpenApiValidatorTests
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "required": ["stage"],
              "properties": {
                "stage": { "type": "string", "enum": ["Design", "Develop", "Deploy"] },
                "replicas": { "type": "integer", "minimum": 1, "maximum": 5 },
                "name": { "type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$" },
                "note": { "type": "string", "nullable": true },
                "port": { "x-kubernetes-int-or-string": true },
                "tags": { "type": "array", "maxItems": 2, "items": { "type": "string" } },
                "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true }
              }
            }
          }
        }
        """)!;

    [Theory]
    [InlineData("""{"spec":{"stage":"Design"}}""", "", "minimal valid object")]
    [InlineData("""{"spec":{"stage":"Prod"}}""", "spec.stage: Unsupported value: \"Prod\": supported values: \"Design\", \"Develop\", \"Deploy\"", "enum")]
    [InlineData("""{"spec":{}}""", "spec.stage: Required value", "required")]
    [InlineData("""{"spec":{"stage":"Design","replicas":"two"}}""", "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"", "type")]
    [InlineData("""{"spec":{"stage":"Design","replicas":1.5}}""", "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"", "fraction is not an integer")]
    [InlineData("""{"spec":{"stage":"Design","replicas":0}}""", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1", "minimum")]
    [InlineData("""{"spec":{"stage":"Design","replicas":6}}""", "spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5", "maximum")]
    [InlineData("""{"spec":{"stage":"Design","name":"abcdef"}}""", "spec.name: Too long: may not be more than 5 bytes", "maxLength")]
    [InlineData("""{"spec":{"stage":"Design","name":"A"}}""", "spec.name: Invalid value: \"A\": spec.name in body should match '^[a-z]+$'", "pattern")]
    [InlineData("""{"spec":{"stage":"Design","note":null}}""", "", "nullable accepts null")]
    [InlineData("""{"spec":{"stage":null}}""", "spec.stage: Invalid value: \"null\": spec.stage in body must be of type string: \"null\"", "null is not a string")]
    [InlineData("""{"spec":{"stage":"Design","port":"http"}}""", "", "int-or-string takes a string")]
    [InlineData("""{"spec":{"stage":"Design","port":true}}""", "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"", "int-or-string rejects a boolean")]
    [InlineData("""{"spec":{"stage":"Design","tags":["a","b","c"]}}""", "spec.tags: Too many: 3: must have at most 2 items", "maxItems")]
    [InlineData("""{"spec":{"stage":"Design","tags":["a",1]}}""", "spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: \"integer\"", "item path has an index")]
    [InlineData("""{"spec":{"stage":"Design","labels":{"a":1}}}""", "spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\"", "map values follow additionalProperties")]
    public void Validate_reports_the_field_path_and_the_servers_message(string json, string expected, string reason)
    {
        var violations = OpenApiValidator.Validate(Schema, JsonNode.Parse(json));

        Assert.True(expected == string.Join("; ", violations), $"{reason}: got '{string.Join("; ", violations)}'");
    }

    [Fact]
    public void Prune_removes_undeclared_fields_but_keeps_resource_root_fields_and_preserved_subtrees()
    {
        var value = JsonNode.Parse("""
            {"apiVersion":"x/v1","kind":"K","metadata":{"name":"a"},"bogus":1,
             "spec":{"stage":"Design","typo":2,"extra":{"anything":true}}}
            """)!;

        var pruned = OpenApiValidator.Prune(Schema, value);

        Assert.Equal(["bogus", "spec.typo"], pruned);
        Assert.Equal("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a"},"spec":{"stage":"Design","extra":{"anything":true}}}""", value.ToJsonString());
    }

    [Fact]
    public void FindUnknownFields_leaves_the_value_untouched()
    {
        var value = JsonNode.Parse("""{"spec":{"stage":"Design","typo":2}}""")!;

        Assert.Equal(["spec.typo"], OpenApiValidator.FindUnknownFields(Schema, value));
        Assert.Equal("""{"spec":{"stage":"Design","typo":2}}""", value.ToJsonString());
    }
}
