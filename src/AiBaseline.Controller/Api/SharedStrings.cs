using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiBaseline.Controller.Api;

/// <summary>
/// Decodes the strings of watched objects so that equal ones are one string in memory. A cluster's objects repeat
/// the same short strings many thousand times (namespaces, label keys and values, images, names that a Deployment,
/// its ServiceAccount and its NetworkPolicies share, enum-like values such as <c>RuntimeDefault</c>); at 10,000
/// deployments they were most of the strings a cache held. Strings that are unique by nature (uids, resource
/// versions) and long ones are left alone, and the table is emptied when it reaches its bound, so that objects which
/// come and go cannot make it grow without end (equal strings decoded after that are shared again from then on).
/// </summary>
public sealed class SharedStrings : JsonConverter<string>
{
    /// <summary>The longest string that is shared, in UTF-8 bytes.</summary>
    public const int MaxLength = 128;

    private static readonly SearchValues<char> UidCharacters = SearchValues.Create("0123456789abcdef-");

    private readonly int capacity;
    private readonly Dictionary<string, string> table;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    /// <param name="capacity">How many distinct strings are kept before the table starts afresh.</param>
    public SharedStrings(int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        table = new Dictionary<string, string>(StringComparer.Ordinal);
        lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many distinct strings the table holds now.</summary>
    public int Count
    {
        get
        {
            lock (table)
            {
                return table.Count;
            }
        }
    }

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // As the default string converter: anything else is not a string.
            throw new JsonException($"expected a string, found {reader.TokenType}");
        }

        return Share(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Share(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }

    /// <summary>The shared instance of <paramref name="value"/>, or <paramref name="value"/> itself if it is not shared.</summary>
    public string Share(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLength || UniqueByNature(value))
        {
            return value;
        }

        lock (table)
        {
            if (table.TryGetValue(value, out var shared))
            {
                return shared;
            }

            Add(value);
            return value;
        }
    }

    private string Share(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxLength)
        {
            return Share(reader.GetString()!);
        }

        var utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[MaxLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (UniqueByNature(text))
        {
            return new string(text);
        }

        lock (table)
        {
            if (lookup.TryGetValue(text, out var shared))
            {
                return shared;
            }

            var value = new string(text);
            Add(value);
            return value;
        }
    }

    private void Add(string value)
    {
        if (table.Count >= capacity)
        {
            table.Clear();
        }

        table.Add(value, value);
    }

    /// <summary>Resource versions (all digits) and uids (8-4-4-4-12 hexadecimal digits): each object has its own.</summary>
    private static bool UniqueByNature(ReadOnlySpan<char> text)
    {
        if (text.Length >= 4 && !text.ContainsAnyExceptInRange('0', '9'))
        {
            return true;
        }

        return text.Length == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-'
            && !text.ContainsAnyExcept(UidCharacters);
    }
}
