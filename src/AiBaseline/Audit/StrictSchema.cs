using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Audit;

/// <summary>
/// Checks an aibaseline.io object against its C# type the way the CRD's structural schema would: unknown
/// fields, wrong enum values, wrong value types, missing required fields and out-of-range numbers. It reports
/// every problem, not just the first, so a user fixes a manifest in one round. Kubernetes' own types
/// (metadata) are left to the API server's rules.
/// </summary>
public static class StrictSchema
{
    // Reflection once per type, not once per object: an audit of thousands of deployments walks the same few types.
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Field>> FieldsByType = new();

    // What a CRD's format: date-time accepts: a date, "T", a time with optional fraction, and "Z" or an offset.
    private static readonly string[] Rfc3339 = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd't'HH:mm:ssK"];

    /// <summary>Reports each problem as (field path, message).</summary>
    public static void Check(JsonNode? node, Type type, string path, Action<string, string> report)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null)
        {
            return; // null means "not set" for an optional field; required ones are checked by the parent
        }

        if (type == typeof(string))
        {
            Expect(node, JsonValueKind.String, path, "a string (quote it)", report);
        }
        else if (type == typeof(bool))
        {
            Expect(node, JsonValueKind.True, path, "true or false", report, JsonValueKind.False);
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            if (Expect(node, JsonValueKind.Number, path, "a whole number", report) && !long.TryParse(node.ToJsonString(), CultureInfo.InvariantCulture, out _))
            {
                report(path, $"{node.ToJsonString()} is not a whole number: write it without a fraction");
            }
        }
        else if (type == typeof(DateOnly))
        {
            if (!Expect(node, JsonValueKind.String, path, "a date YYYY-MM-DD", report)
                || !DateOnly.TryParseExact(node.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                report(path, $"\"{node}\" is not a date: write it as YYYY-MM-DD");
            }
        }
        else if (type == typeof(DateTime))
        {
            if (!Expect(node, JsonValueKind.String, path, "a date-time such as 2026-06-30T00:00:00Z", report)
                || !DateTime.TryParseExact(node.GetValue<string>(), Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _))
            {
                report(path, $"\"{node}\" is not an RFC 3339 date-time: write it as 2026-06-30T00:00:00Z");
            }
        }
        else if (type.IsEnum)
        {
            var allowed = Enum.GetNames(type);
            if (node.GetValueKind() != JsonValueKind.String || !allowed.Contains(node.GetValue<string>(), StringComparer.Ordinal))
            {
                report(path, $"\"{node}\" is not allowed: use one of {string.Join(", ", allowed)}");
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (Expect(node, JsonValueKind.Array, path, "a list", report))
            {
                var items = node.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is null)
                    {
                        report($"{path}[{i}]", "is an empty list item: fill it in or remove the dash");
                        continue;
                    }

                    Check(items[i], type.GetGenericArguments()[0], $"{path}[{i}]", report);
                }
            }
        }
        else if (type.Namespace?.StartsWith("AiBaseline", StringComparison.Ordinal) == true && type.IsClass)
        {
            if (Expect(node, JsonValueKind.Object, path, "an object", report))
            {
                CheckObject(node.AsObject(), type, path, report);
            }
        }
    }

    private static void CheckObject(JsonObject obj, Type type, string path, Action<string, string> report)
    {
        var properties = FieldsByType.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToDictionary(
                p => p.Name!,
                p => new Field(
                    p.Property.PropertyType,
                    p.Property.GetCustomAttribute<RequiredAttribute>() is not null,
                    p.Property.GetCustomAttribute<MinLengthAttribute>(),
                    p.Property.GetCustomAttribute<RangeAttribute>(),
                    p.Property.GetCustomAttribute<RegularExpressionAttribute>(),
                    p.Property.GetCustomAttributes().OfType<IAllowedNamesAttribute>().FirstOrDefault()),
                StringComparer.Ordinal));

        foreach (var (name, value) in obj)
        {
            var field = Join(path, name);
            if (!properties.TryGetValue(name, out var property))
            {
                report(field, $"unknown field: remove it or check the spelling (known fields: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))})");
                continue;
            }

            Check(value, property.Type, field, report);
            CheckLimits(value, property, field, report);
        }

        foreach (var (name, property) in properties)
        {
            if (property.Required && obj[name] is null)
            {
                report(Join(path, name), RequiredMessage(property.Type));
            }
        }
    }

    private static string RequiredMessage(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? $"required field is missing: set one of {string.Join(", ", Enum.GetNames(type))}" : "required field is missing: set it";
    }

    private static void CheckLimits(JsonNode? value, Field property, string field, Action<string, string> report)
    {
        if (value is null)
        {
            return;
        }

        if (property.MinLength is { } min && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length < min.Length)
        {
            report(field, "must not be empty");
        }

        if (property.Allowed is { } allowed)
        {
            var items = value.GetValueKind() == JsonValueKind.Array ? value.AsArray().Select((item, i) => (item, $"{field}[{i}]")) : [(value, field)];
            foreach (var (item, at) in items)
            {
                if (item?.GetValueKind() == JsonValueKind.String && !allowed.Values.Contains(item.GetValue<string>(), StringComparer.Ordinal))
                {
                    report(at, $"\"{item}\" is not {allowed.What}: use one of {string.Join(", ", allowed.Values)}");
                }
            }
        }

        if (property.Range is { } range && value.GetValueKind() == JsonValueKind.Number)
        {
            var number = double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
            if (number < System.Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture) || number > System.Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture))
            {
                report(field, $"{number} is out of range: use a value from {range.Minimum} to {range.Maximum}");
            }
        }

        if (property.Pattern is { } pattern && value.GetValueKind() == JsonValueKind.String
            && !Regex.IsMatch(value.GetValue<string>(), pattern.Pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            report(field, $"\"{value.GetValue<string>()}\" does not match {pattern.Pattern}: {PatternHint(pattern.Pattern)}");
        }
    }

    // What a user should write instead, for the patterns the API uses.
    private static string PatternHint(string pattern) => pattern == EvidenceDigest.Pattern
        ? "write sha256: and the 64 lowercase hex digits of the document's SHA-256 (sha256sum FILE)"
        : "fix the value";

    private static bool Expect(JsonNode node, JsonValueKind kind, string path, string what, Action<string, string> report, JsonValueKind? alternative = null)
    {
        var actual = node.GetValueKind();
        if (actual == kind || actual == alternative)
        {
            return true;
        }

        report(path, $"expected {what}, found {Describe(actual)}");
        return false;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private sealed record Field(Type Type, bool Required, MinLengthAttribute? MinLength, RangeAttribute? Range, RegularExpressionAttribute? Pattern, IAllowedNamesAttribute? Allowed);
}
