using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Crds;

/// <summary>
/// Builds the OpenAPI v3 schema of a custom resource from its C# type: <see cref="JsonSchemaExporter"/> walks
/// the type as System.Text.Json serializes it, this class adds what Kubernetes needs on top (descriptions from
/// the doc comments, data-annotation limits, defaults, list keys, the standard condition shape), and
/// <see cref="StructuralSchema"/> turns the result into a structural schema.
/// </summary>
public static class CrdSchemaBuilder
{
    // Lists whose items have an identity: server-side apply merges them per key, and the API server rejects
    // duplicate keys. The key of each item type is unique by the API's own description.
    private static readonly Dictionary<Type, string> ListMapKeys = new()
    {
        [typeof(ModelArtifact)] = "name",
        [typeof(SignatureKey)] = "name",
    };

    // Status lists only the operator writes, replaced whole on every write: atomic, so the API server tracks each in
    // managedFields as one entry instead of one per item and field (half of each status write, as list-maps).
    // Conditions too: they are still read by type (kubectl wait, kstatus, Argo CD and Flux health), but the operator
    // writes them by JSON merge patch, which replaces a list whole whatever its list type, so a per-type map bought
    // nothing but 150 bytes of managed fields per condition on every write.
    private static readonly HashSet<Type> AtomicLists = [typeof(ControlStatus), typeof(ProvisionGroup), typeof(ImageStatus), typeof(ModelStatus), typeof(V1Condition), typeof(VerdictChange), typeof(ProvisionChange)];

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The structural schema of <paramref name="resourceType"/>, described from <paramref name="docs"/>.</summary>
    public static JsonObject Build(Type resourceType, XmlDocumentation docs)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Annotate(context, node, docs),
        };
        var exported = SerializerOptions.GetJsonSchemaAsNode(resourceType, exporterOptions);
        return StructuralSchema.Rewrite(exported);
    }

    private static JsonNode Annotate(JsonSchemaExporterContext context, JsonNode node, XmlDocumentation docs)
    {
        var type = context.TypeInfo.Type;
        var property = context.PropertyInfo?.AttributeProvider as PropertyInfo;
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (type == typeof(V1ObjectMeta))
        {
            // The API server validates metadata itself; a CRD schema may only say it is an object.
            return new JsonObject { ["type"] = "object" };
        }

        if (type == typeof(V1Condition))
        {
            schema = ConditionSchema.Create();
        }

        var description = Describe(type, property, docs);
        if (description is not null)
        {
            schema["description"] = description;
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && schema.ContainsKey("properties"))
        {
            AddRequired(schema, context.TypeInfo);
        }

        if (context.TypeInfo.ElementType is { } element && ListMapKeys.TryGetValue(element, out var key))
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray(key);
        }
        else if (context.TypeInfo.ElementType is { } item && AtomicLists.Contains(item))
        {
            schema["x-kubernetes-list-type"] = "atomic";
        }

        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        if (scalar == typeof(int))
        {
            schema["format"] = "int32";
        }
        else if (scalar == typeof(long))
        {
            schema["format"] = "int64";
        }

        if (property is not null)
        {
            ApplyAnnotations(schema, property);
        }

        AddValidationRules(schema, [.. type.GetCustomAttributes<ValidationRuleAttribute>(), .. property?.GetCustomAttributes<ValidationRuleAttribute>() ?? []]);
        return schema;
    }

    private static void AddRequired(JsonObject schema, JsonTypeInfo typeInfo)
    {
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in schema["required"]?.AsArray() ?? [])
        {
            required.Add(name!.GetValue<string>());
        }

        foreach (var member in typeInfo.Properties)
        {
            if (member.IsRequired || member.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
            {
                required.Add(member.Name);
            }
        }

        // List-map keys must always be present, or the API server could not tell the items apart.
        if (ListMapKeys.TryGetValue(typeInfo.Type, out var key))
        {
            required.Add(key);
        }

        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }
    }

    private static void AddValidationRules(JsonObject schema, IReadOnlyList<ValidationRuleAttribute> rules)
    {
        if (rules.Count == 0)
        {
            return;
        }

        schema["x-kubernetes-validations"] = new JsonArray([.. rules.Select(r => r.Message is null
            ? new JsonObject { ["rule"] = r.Rule }
            : new JsonObject { ["rule"] = r.Rule, ["message"] = r.Message })]);
    }

    private static void ApplyAnnotations(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<DefaultValueAttribute>() is { Value: { } value })
        {
            schema["default"] = JsonSerializer.SerializeToNode(value, value.GetType(), SerializerOptions);
        }
        else if (IsAlwaysPresentSettings(property))
        {
            // The C# type always creates this object; an empty default lets the API server fill in the
            // defaults of its fields too, so the stored object shows the settings that apply.
            schema["default"] = new JsonObject();
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            schema[property.PropertyType == typeof(string) ? "minLength" : "minItems"] = minLength.Length;
        }

        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
        {
            schema[property.PropertyType == typeof(string) ? "maxLength" : "maxItems"] = maxLength.Length;
        }

        if (property.GetCustomAttributes().OfType<IAllowedNamesAttribute>().FirstOrDefault() is { } names)
        {
            // On a list, each item must be one of the names.
            var target = schema["items"] is JsonObject items ? items : schema;
            target["enum"] = new JsonArray([.. names.Values.Select(v => JsonValue.Create(v))]);
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema["minimum"] = JsonSerializer.SerializeToNode(range.Minimum, SerializerOptions);
            schema["maximum"] = JsonSerializer.SerializeToNode(range.Maximum, SerializerOptions);
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Pattern;
        }
    }

    private static bool IsAlwaysPresentSettings(PropertyInfo property) =>
        IsDocumentedShape(property.PropertyType)
        && new NullabilityInfoContext().Create(property).ReadState == NullabilityState.NotNull
        && !property.PropertyType.GetProperties().Any(p => p.IsDefined(typeof(RequiredAttribute), inherit: true));

    private static string? Describe(Type type, PropertyInfo? property, XmlDocumentation docs)
    {
        var described = Nullable.GetUnderlyingType(type) ?? type;
        var text = property is null ? null : docs.Of(property);
        if (text is null && (described.IsEnum || IsDocumentedShape(described)))
        {
            text = docs.Of(described);
        }

        return described.IsEnum ? WithEnumMembers(text, described, docs) : text;
    }

    // Only our own object types carry a summary worth repeating on every property that uses them.
    private static bool IsDocumentedShape(Type type) =>
        type.IsClass && type.Assembly == typeof(AIModelDeployment).Assembly;

    // kubectl explain shows one description per field, so the meaning of each documented enum value goes there.
    private static string? WithEnumMembers(string? text, Type enumType, XmlDocumentation docs)
    {
        var members = Enum.GetNames(enumType)
            .Select(name => (name, doc: docs.OfEnumMember(enumType, name)))
            .Where(m => m.doc is not null)
            .ToList();
        if (members.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text);
        foreach (var (name, doc) in members)
        {
            result.Append(result.Length > 0 ? "\n" : "").Append(name).Append(": ").Append(doc);
        }

        return result.ToString();
    }
}
