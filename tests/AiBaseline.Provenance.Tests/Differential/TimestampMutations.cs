using System.Text;
using System.Text.Json.Nodes;

namespace AiBaseline.Provenance.Tests.Differential;

/// <summary>
/// Seeded mutations of a bundle dated by an RFC 3161 timestamp (no log entry): flipped bytes anywhere in the
/// timestamp and in the signature, payload and certificate; timestamps removed, repeated and swapped with another
/// bundle's; another bundle's certificate.
/// </summary>
internal static class TimestampMutations
{
    private const string Timestamps = "verificationMaterial.timestampVerificationData.rfc3161Timestamps";

    public static IEnumerable<(string Name, byte[] Bundle)> Of(byte[] bundle, byte[] other, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var root = JsonNode.Parse(bundle)!;
            var name = Mutate(root, JsonNode.Parse(other)!, random);
            yield return ($"{i:D3} {name}", Encoding.UTF8.GetBytes(root.ToJsonString()));
        }
    }

    private static string Mutate(JsonNode root, JsonNode other, Random random)
    {
        var timestamps = root["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]!.AsArray();
        switch (random.Next(10))
        {
            case <= 4:
            {
                var bytes = Convert.FromBase64String((string)timestamps[0]!["signedTimestamp"]!);
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                timestamps[0]!["signedTimestamp"] = Convert.ToBase64String(bytes);
                return $"flip byte {at} of {bytes.Length} of the timestamp";
            }

            case 5:
            {
                var (field, parent, key) = random.Next(3) switch
                {
                    0 => ("signature", root["dsseEnvelope"]!["signatures"]![0]!, "sig"),
                    1 => ("payload", root["dsseEnvelope"]!, "payload"),
                    _ => ("certificate", root["verificationMaterial"]!["certificate"]!, "rawBytes"),
                };
                var bytes = Convert.FromBase64String((string)parent[key]!);
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                parent[key] = Convert.ToBase64String(bytes);
                return $"flip byte {at} of the {field}";
            }

            case 6:
                timestamps.Clear();
                return "remove the timestamp";

            case 7:
                timestamps.Add(timestamps[0]!.DeepClone());
                return "repeat the timestamp";

            case 8:
                if (random.Next(2) == 0)
                {
                    timestamps[0] = other["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]![0]!.DeepClone();
                    return "swap in the other bundle's timestamp";
                }

                timestamps.Add(other["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]![0]!.DeepClone());
                return $"add the other bundle's timestamp ({Timestamps})";

            default:
                root["verificationMaterial"]!["certificate"] = other["verificationMaterial"]!["certificate"]!.DeepClone();
                return "swap in the other bundle's certificate";
        }
    }
}
