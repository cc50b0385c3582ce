using System.Globalization;
using System.Text;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>Writes plain data (dictionaries, lists, strings, numbers, booleans) as a Lua table constructor.</summary>
internal static class LuaTable
{
    public static string Literal(object? value) => value switch
    {
        null => "nil",
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        IEnumerable<KeyValuePair<string, object?>> map =>
            "{ " + string.Join(", ", map.Select(pair => $"[{Quote(pair.Key)}] = {Literal(pair.Value)}")) + " }",
        IEnumerable<object?> list => "{ " + string.Join(", ", list.Select(Literal)) + " }",
        _ => throw new ArgumentException($"no Lua literal for {value.GetType().Name}", nameof(value)),
    };

    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ when c < ' ' => $"\\{(int)c:D3}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
