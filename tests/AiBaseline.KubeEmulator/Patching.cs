using System.Globalization;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>JSON merge patch (RFC 7386) and JSON patch (RFC 6902) over detached JSON trees.</summary>
internal static class Patching
{
    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> in place: null deletes, objects merge, the rest replaces.</summary>
    public static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, patchObject);
            }
            else if (value is JsonObject fresh)
            {
                target[key] = Merge([], fresh);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }

        return target;
    }

    /// <summary>Applies RFC 6902 operations in order; a failed <c>test</c> or a bad path is a 422 naming the operation.</summary>
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode root = target;
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i] as JsonObject ?? throw Invalid(i, "operation is not an object");
            var kind = op["op"]?.GetValue<string>() ?? throw Invalid(i, "missing \"op\"");
            var path = op["path"]?.GetValue<string>() ?? throw Invalid(i, "missing \"path\"");
            switch (kind)
            {
                case "add":
                    Add(root, path, op["value"]?.DeepClone(), i);
                    break;
                case "remove":
                    Take(root, path, i);
                    break;
                case "replace":
                    Take(root, path, i);
                    Add(root, path, op["value"]?.DeepClone(), i);
                    break;
                case "move":
                    Add(root, path, Take(root, From(op, i), i), i);
                    break;
                case "copy":
                    Add(root, path, Read(root, From(op, i), i)?.DeepClone(), i);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Read(root, path, i), op["value"]))
                    {
                        throw Invalid(i, $"testing value {path} failed");
                    }

                    break;
                default:
                    throw Invalid(i, $"unexpected kind of operation: {kind}");
            }
        }

        return target;
    }

    private static string From(JsonObject op, int index) => op["from"]?.GetValue<string>() ?? throw Invalid(index, "missing \"from\"");

    private static JsonNode? Read(JsonNode root, string path, int index)
    {
        var (parent, last) = Parent(root, path, index);
        return parent switch
        {
            JsonObject obj when obj.ContainsKey(last) => obj[last],
            JsonArray array when ArrayIndex(last, array.Count - 1, index) is var at => array[at],
            _ => throw Invalid(index, $"path {path} does not exist"),
        };
    }

    private static JsonNode? Take(JsonNode root, string path, int index)
    {
        var (parent, last) = Parent(root, path, index);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                var value = obj[last];
                obj.Remove(last);
                return value;
            case JsonArray array:
                var at = ArrayIndex(last, array.Count - 1, index);
                var item = array[at];
                array.RemoveAt(at);
                return item;
            default:
                throw Invalid(index, $"unable to remove nonexistent key: {last}: missing value");
        }
    }

    private static void Add(JsonNode root, string path, JsonNode? value, int index)
    {
        var (parent, last) = Parent(root, path, index);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array:
                array.Insert(ArrayIndex(last, array.Count, index), value);
                break;
            default:
                throw Invalid(index, $"path {path} does not exist");
        }
    }

    private static (JsonNode? Parent, string Last) Parent(JsonNode root, string path, int index)
    {
        if (!path.StartsWith('/'))
        {
            throw Invalid(index, $"path \"{path}\" must start with /");
        }

        var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode? node = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array => array[ArrayIndex(token, array.Count - 1, index)],
                _ => null,
            };
            if (node is null)
            {
                throw Invalid(index, $"path {path} does not exist: missing value at {token}");
            }
        }

        return (node, tokens[^1]);
    }

    private static int ArrayIndex(string token, int max, int index) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at <= max
            ? at
            : throw Invalid(index, $"array index {token} is out of bounds");

    private static ApiError Invalid(int index, string why) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: json patch operation {index}: {why}");
}
