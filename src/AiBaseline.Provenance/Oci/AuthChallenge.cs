using System.Net.Http.Headers;

namespace AiBaseline.Provenance.Oci;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: Basic, or Bearer with realm, service and scope.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>Picks the Bearer challenge if offered, else Basic; null when neither is offered.</summary>
    public static AuthChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        AuthChallenge? basic = null;
        foreach (var header in headers)
        {
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return new AuthChallenge("Bearer", ParseParameters(header.Parameter ?? ""));
            }

            if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                basic = new AuthChallenge("Basic", ParseParameters(header.Parameter ?? ""));
            }
        }

        return basic;
    }

    /// <summary>Parses <c>realm="https://auth/token",service="reg",scope="repository:a/b:pull"</c>; quoted values may hold commas.</summary>
    internal static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                value = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end;
            }

            result[key] = value;
        }

        return result;
    }
}
