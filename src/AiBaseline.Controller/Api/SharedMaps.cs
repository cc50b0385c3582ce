using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiBaseline.Controller.Api;

/// <summary>
/// Decodes the small string maps of watched objects (labels, label selectors' matchLabels, annotations, node selectors)
/// as read-only maps, one instance for every map of equal content. A workload's labels, its selector, its pod template's
/// labels and the podSelector of each NetworkPolicy that selects it are usually the same map: as dictionaries, each cost
/// about 250 bytes in three objects, at 10,000 deployments about 10 MiB. Maps of more than <see cref="MaxEntries"/>
/// entries, or with a null value, are decoded as dictionaries, as before. Like <see cref="SharedStrings"/>, the table is
/// emptied when it reaches its bound, so that maps of objects that come and go cannot make it grow without end.
/// </summary>
public sealed class SharedMaps : JsonConverter<IDictionary<string, string>>
{
    /// <summary>The most entries a shared map has.</summary>
    public const int MaxEntries = 16;

    private readonly SharedStrings strings;
    private readonly int capacity;
    private readonly HashSet<SharedDictionary> table = new(SharedDictionary.ContentComparer);

    /// <param name="strings">The strings of the maps' keys and values come from this table.</param>
    /// <param name="capacity">How many distinct maps are kept before the table starts afresh.</param>
    public SharedMaps(SharedStrings strings, int capacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(strings);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.strings = strings;
        this.capacity = capacity;
    }

    /// <summary>How many distinct maps the table holds now.</summary>
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

    public override IDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object of strings, found {reader.TokenType}");
        }

        var pairs = new List<string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            pairs.Add(strings.ReadAsPropertyName(ref reader, typeof(string), options));
            reader.Read();
            pairs.Add(reader.TokenType == JsonTokenType.Null ? null : strings.Read(ref reader, typeof(string), options));
        }

        if (pairs.Count / 2 > MaxEntries || pairs.Contains(null))
        {
            var dictionary = new Dictionary<string, string>(pairs.Count / 2, StringComparer.Ordinal);
            for (var i = 0; i < pairs.Count; i += 2)
            {
                dictionary[pairs[i]!] = pairs[i + 1]!;
            }

            return dictionary;
        }

        return Share(new SharedDictionary([.. pairs!]));
    }

    public override void Write(Utf8JsonWriter writer, IDictionary<string, string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, text);
        }

        writer.WriteEndObject();
    }

    private SharedDictionary Share(SharedDictionary map)
    {
        lock (table)
        {
            if (table.TryGetValue(map, out var shared))
            {
                return shared;
            }

            if (table.Count >= capacity)
            {
                table.Clear();
            }

            table.Add(map);
            return map;
        }
    }
}

/// <summary>
/// A read-only map of a few strings, kept as one array of keys and values in the order they were decoded; a change
/// throws, since the same instance may be shared by many cached objects.
/// </summary>
public sealed class SharedDictionary : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    private readonly string[] pairs;

    /// <param name="pairs">Keys and values, alternately; no key twice (a later one replaces an earlier, as a dictionary does).</param>
    internal SharedDictionary(string[] pairs)
    {
        this.pairs = Distinct(pairs);
    }

    /// <summary>Equal keys with equal values, in the same order.</summary>
    internal static IEqualityComparer<SharedDictionary> ContentComparer { get; } = new Content();

    public int Count => pairs.Length / 2;

    public bool IsReadOnly => true;

    public ICollection<string> Keys => [.. Enumerable.Range(0, Count).Select(i => pairs[2 * i])];

    public ICollection<string> Values => [.. Enumerable.Range(0, Count).Select(i => pairs[(2 * i) + 1])];

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values;

    public string this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' is not in the map.");
        set => throw ReadOnly();
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? pairs[index + 1] : null;
        return index >= 0;
    }

    public bool Contains(KeyValuePair<string, string> item) => TryGetValue(item.Key, out var value) && value == item.Value;

    public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < pairs.Length; i += 2)
        {
            yield return new(pairs[i], pairs[i + 1]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string key, string value) => throw ReadOnly();

    public void Add(KeyValuePair<string, string> item) => throw ReadOnly();

    public bool Remove(string key) => throw ReadOnly();

    public bool Remove(KeyValuePair<string, string> item) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (string.Equals(pairs[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static NotSupportedException ReadOnly() =>
        new("A map decoded from a watched object is shared with other cached objects and cannot be changed: copy it first.");

    /// <summary>JSON that names a key twice (rare) keeps the last value, in the first key's place, as a dictionary would.</summary>
    private static string[] Distinct(string[] pairs)
    {
        List<string>? kept = null;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var earlier = -1;
            for (var j = 0; j < i && earlier < 0; j += 2)
            {
                earlier = string.Equals(pairs[j], pairs[i], StringComparison.Ordinal) ? j : -1;
            }

            if (earlier >= 0)
            {
                kept ??= [.. pairs[..i]];
                var at = 0;
                while (!string.Equals(kept[at], pairs[i], StringComparison.Ordinal))
                {
                    at += 2;
                }

                kept[at + 1] = pairs[i + 1];
            }
            else
            {
                kept?.AddRange([pairs[i], pairs[i + 1]]);
            }
        }

        return kept is null ? pairs : [.. kept];
    }

    private sealed class Content : IEqualityComparer<SharedDictionary>
    {
        public bool Equals(SharedDictionary? x, SharedDictionary? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.pairs.AsSpan().SequenceEqual(y.pairs, StringComparer.Ordinal));

        public int GetHashCode(SharedDictionary obj)
        {
            var hash = new HashCode();
            foreach (var text in obj.pairs)
            {
                hash.Add(text, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
