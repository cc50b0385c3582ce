using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AiBaseline.Provenance.Tests.Differential;

/// <summary>
/// Seeded mutations of a keyless bundle: flipped bytes in the signature, payload, certificate, SET, inclusion
/// proof, checkpoint, log body and log id; changed numbers; removed, duplicated and swapped parts.
/// </summary>
internal static class BundleMutations
{
    private static readonly string[] Base64Fields =
    [
        "dsseEnvelope.signatures.0.sig",
        "dsseEnvelope.payload",
        "verificationMaterial.certificate.rawBytes",
        "verificationMaterial.tlogEntries.0.inclusionPromise.signedEntryTimestamp",
        "verificationMaterial.tlogEntries.0.inclusionProof.rootHash",
        "verificationMaterial.tlogEntries.0.canonicalizedBody",
        "verificationMaterial.tlogEntries.0.logId.keyId",
    ];

    private static readonly string[] NumberFields =
    [
        "verificationMaterial.tlogEntries.0.integratedTime",
        "verificationMaterial.tlogEntries.0.logIndex",
        "verificationMaterial.tlogEntries.0.inclusionProof.logIndex",
        "verificationMaterial.tlogEntries.0.inclusionProof.treeSize",
    ];

    /// <summary><paramref name="count"/> mutations of <paramref name="bundle"/>, each with a name saying what changed.</summary>
    public static IEnumerable<(string Name, byte[] Bundle)> Of(byte[] bundle, byte[] other, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var root = JsonNode.Parse(bundle)!;
            var otherRoot = JsonNode.Parse(other)!;
            var name = Mutate(root, otherRoot, random);
            yield return ($"{i:D3} {name}", Encoding.UTF8.GetBytes(root.ToJsonString()));
        }
    }

    private static string Mutate(JsonNode root, JsonNode other, Random random)
    {
        var entry = root["verificationMaterial"]!["tlogEntries"]![0]!.AsObject();
        var proof = entry["inclusionProof"]!.AsObject();
        switch (random.Next(12))
        {
            case 0 or 1 or 2:
            {
                var field = Base64Fields[random.Next(Base64Fields.Length)];
                var (parent, key) = Locate(root, field);
                var bytes = Convert.FromBase64String(Get(parent, key));
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                Set(parent, key, Convert.ToBase64String(bytes));
                return $"flip byte {at} of {field}";
            }

            case 3:
            {
                var hashes = proof["hashes"]!.AsArray();
                var index = random.Next(hashes.Count);
                var bytes = Convert.FromBase64String(hashes[index]!.GetValue<string>());
                bytes[random.Next(bytes.Length)] ^= 0x80;
                hashes[index] = Convert.ToBase64String(bytes);
                return $"flip a byte of inclusion proof hash {index}";
            }

            case 4:
            {
                var checkpoint = proof["checkpoint"]!["envelope"]!.GetValue<string>().ToCharArray();
                var at = random.Next(checkpoint.Length);
                const string alphabet = "0123456789abcdefABCDEF+/= \n-";
                var replacement = alphabet[random.Next(alphabet.Length)];
                if (checkpoint[at] == replacement)
                {
                    replacement = replacement == 'a' ? 'b' : 'a';
                }

                checkpoint[at] = replacement;
                proof["checkpoint"]!["envelope"] = new string(checkpoint);
                return $"change checkpoint character {at}";
            }

            case 5:
            {
                var field = NumberFields[random.Next(NumberFields.Length)];
                var (parent, key) = Locate(root, field);
                var delta = random.Next(2) == 0 ? -1 - random.Next(3) : 1 + random.Next(3600);
                Set(parent, key, (long.Parse(Get(parent, key), CultureInfo.InvariantCulture) + delta).ToString(CultureInfo.InvariantCulture));
                return $"add {delta} to {field}";
            }

            case 6:
            {
                var part = new[] { "inclusionPromise", "inclusionProof" }[random.Next(2)];
                entry.Remove(part);
                return $"remove {part}";
            }

            case 7:
            {
                var hashes = proof["hashes"]!.AsArray();
                var index = random.Next(hashes.Count);
                if (random.Next(2) == 0)
                {
                    hashes.RemoveAt(index);
                    return $"remove inclusion proof hash {index}";
                }

                hashes.Insert(index, hashes[index]!.DeepClone());
                return $"repeat inclusion proof hash {index}";
            }

            case 8:
            {
                var part = random.Next(3);
                if (part == 0)
                {
                    root["verificationMaterial"]!["tlogEntries"] = other["verificationMaterial"]!["tlogEntries"]!.DeepClone();
                    return "swap in the other bundle's log entry";
                }

                if (part == 1)
                {
                    root["verificationMaterial"]!["certificate"] = other["verificationMaterial"]!["certificate"]!.DeepClone();
                    return "swap in the other bundle's certificate";
                }

                root["dsseEnvelope"] = other["dsseEnvelope"]!.DeepClone();
                return "swap in the other bundle's envelope";
            }

            case 9:
            {
                var entries = root["verificationMaterial"]!["tlogEntries"]!.AsArray();
                if (random.Next(2) == 0)
                {
                    entries.Add(entries[0]!.DeepClone());
                    return "repeat the log entry";
                }

                entries.Add(other["verificationMaterial"]!["tlogEntries"]![0]!.DeepClone());
                return "add the other bundle's log entry";
            }

            case 10:
            {
                var kind = entry["kindVersion"]!.AsObject();
                if (random.Next(2) == 0)
                {
                    kind["kind"] = new[] { "intoto", "hashedrekord", "dsse" }[random.Next(3)];
                    return $"say the entry is {kind["kind"]}";
                }

                kind["version"] = new[] { "0.0.2", "0.0.1", "0.1.0" }[random.Next(3)];
                return $"say the entry is version {kind["version"]}";
            }

            default:
            {
                root["mediaType"] = new[]
                {
                    "application/vnd.dev.sigstore.bundle+json;version=0.1",
                    "application/vnd.dev.sigstore.bundle+json;version=0.2",
                    "application/vnd.dev.sigstore.bundle+json;version=0.3",
                }[random.Next(3)];
                return $"say the bundle is {root["mediaType"]}";
            }
        }
    }

    private static (JsonNode Parent, string Key) Locate(JsonNode root, string path)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        }

        return (node, parts[^1]);
    }

    private static string Get(JsonNode parent, string key) => int.TryParse(key, out var i) ? parent[i]!.GetValue<string>() : parent[key]!.GetValue<string>();

    private static void Set(JsonNode parent, string key, string value)
    {
        if (int.TryParse(key, out var i))
        {
            parent[i] = value;
        }
        else
        {
            parent[key] = value;
        }
    }
}
