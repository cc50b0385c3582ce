using System.Text;
using System.Text.Json.Nodes;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Changes one byte inside one field of a bundle, keeping the JSON well formed.</summary>
internal static class BundleEditing
{
    /// <summary>Flips a bit of the byte at <paramref name="offset"/> (modulo the length) of the field at a dotted path; base64 fields are changed in their decoded bytes.</summary>
    public static byte[] FlipByte(byte[] bundle, string path, int offset)
    {
        var root = JsonNode.Parse(bundle)!;
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var i) ? parent[i]! : parent[part]!;
        }

        var last = parts[^1];
        var node = int.TryParse(last, out var index) ? parent[index]! : parent[last]!;
        var text = node.GetValue<string>();
        string changed;
        if (last == "envelope")
        {
            var chars = text.ToCharArray();
            var at = offset % chars.Length;
            chars[at] = chars[at] == '0' ? '1' : (chars[at] == '\n' ? ' ' : '0');
            changed = new string(chars);
        }
        else
        {
            var bytes = Convert.FromBase64String(text);
            bytes[offset % bytes.Length] ^= 0x01;
            changed = Convert.ToBase64String(bytes);
        }

        if (int.TryParse(last, out index))
        {
            parent[index] = changed;
        }
        else
        {
            parent[last] = changed;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
