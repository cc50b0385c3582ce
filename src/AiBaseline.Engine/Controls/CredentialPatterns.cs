using System.Buffers;
using System.Text.RegularExpressions;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// Recognises credentials by name (an env variable, a flag, a ConfigMap key) and by value (well-known
/// key formats). Names are split into words at "_", "-", "." and camelCase humps, so API_KEY, api-key
/// and apiKey read the same. "Token" is also a model concept: TOKENS, TOKENIZER, MAX_TOKEN_LENGTH or
/// EOS_TOKEN name model settings, not credentials, and are not reported. Names ending in a word that
/// points at a credential rather than holding it (_FILE, _PATH, _NAME, _URL…) are not reported by name;
/// their values are still checked for key formats.
/// </summary>
internal static partial class CredentialPatterns
{
    private const int MaxWords = 16;

    /// <summary>Words that make a name a credential wherever they appear, also inside a longer word.</summary>
    private static readonly string[] CredentialFragments = ["PASSWORD", "PASSWD", "SECRET", "CREDENTIAL", "APIKEY", "PRIVATEKEY", "ACCESSKEY"];

    /// <summary>Words that, followed by KEY, name a credential: API_KEY, PRIVATE_KEY, ACCESS_KEY, SIGNING_KEY.</summary>
    private static readonly string[] KeyQualifiers = ["API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "ENCRYPTION", "MASTER", "LICENSE", "SUBSCRIPTION"];

    /// <summary>Words before TOKEN that make it a model token: EOS_TOKEN, MAX_TOKEN, PROMPT_TOKEN.</summary>
    private static readonly string[] ModelTokenQualifiers =
        ["BOS", "EOS", "PAD", "UNK", "SEP", "CLS", "MASK", "STOP", "START", "END", "SPECIAL", "MAX", "MIN", "NUM", "INPUT", "OUTPUT", "PROMPT", "CONTEXT", "COMPLETION", "NEW", "TOTAL", "PER", "IMAGE", "AUDIO", "VISION", "CHAT", "ASSISTANT", "THINK"];

    /// <summary>Last words of names that point at a credential or describe it without holding it.</summary>
    private static readonly string[] ReferenceSuffixes =
    [
        "FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "NAME", "REF", "MOUNT", "LOCATION", "HEADER", "AUDIENCE",
        "TTL", "EXPIRY", "EXPIRES", "TIMEOUT", "ROTATION", "DAYS", "HOURS", "SECONDS", "ENABLED", "LENGTH", "LIMIT", "COUNT", "SIZE",
        "ID", "IDS", "TYPE", "VERSION", "REGION", "PROVIDER", "BACKEND", "MODE", "FORMAT", "ALGORITHM",
    ];

    private static readonly string[] Switches = ["true", "false", "yes", "no", "on", "off", "enabled", "disabled", "none"];

    private const string PemPrivateKey = @"-----BEGIN[A-Z ]{0,20} PRIVATE KEY( BLOCK)?-----";
    private const string AnthropicKey = @"\bsk-ant-[A-Za-z0-9_\-]{20,}";
    private const string OpenRouterKey = @"\bsk-or-v1-[A-Za-z0-9]{40,}";
    private const string OpenAiKey = @"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}";
    private const string NvidiaKey = @"\bnvapi-[A-Za-z0-9_\-]{40,}";
    private const string GroqKey = @"\bgsk_[A-Za-z0-9]{40,}";
    private const string ReplicateToken = @"\br8_[A-Za-z0-9]{30,}";
    private const string PerplexityKey = @"\bpplx-[A-Za-z0-9]{40,}";
    private const string XaiKey = @"\bxai-[A-Za-z0-9]{60,}";
    private const string FireworksKey = @"\bfw_[A-Za-z0-9]{20,}";
    private const string LangSmithKey = @"\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b";
    private const string GitLabToken = @"\bglpat-[A-Za-z0-9_\-]{20,}";
    private const string DockerHubToken = @"\bdckr_pat_[A-Za-z0-9_\-]{20,}";
    private const string HuggingFaceToken = @"\bhf_[A-Za-z0-9]{30,}";
    private const string GitHubToken = @"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})";
    private const string AwsAccessKey = @"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b";
    private const string SlackToken = @"\bxox[abposr]-[A-Za-z0-9\-]{10,}";
    private const string GoogleApiKey = @"\bAIza[0-9A-Za-z_\-]{35}";
    private const string JsonWebToken = @"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*";
    // The password must not be a whole variable reference ($VAR, ${VAR}, $(VAR)): a shell or Kubernetes fills those in.
    private const string UrlPassword = @"[a-z][a-z0-9+.\-]*://[^/\s:@]*:(?!\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\}|\([A-Za-z_][A-Za-z0-9_]*\))@)[^/\s@]+@";

    /// <summary>A fragment every credential name contains; names without one skip the word-by-word reading.</summary>
    private static readonly SearchValues<string> NameHints = SearchValues.Create(["PASS", "SECRET", "CREDENTIAL", "KEY", "TOKEN"], StringComparison.OrdinalIgnoreCase);

    /// <summary>A text fragment every key format contains; values without one skip the regular expressions.</summary>
    private static readonly SearchValues<string> Anchors = SearchValues.Create(
        [
            "-----BEGIN", "sk-", "hf_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA", "ASIA", "xox", "AIza", "eyJ", "://",
            "nvapi-", "gsk_", "r8_", "pplx-", "xai-", "fw_", "lsv2_", "glpat-", "dckr_pat_",
        ],
        StringComparison.Ordinal);

    private static readonly (string Format, Regex Pattern)[] Formats =
    [
        ("a PEM private key", PemPrivateKeyRegex()),
        ("an Anthropic API key", AnthropicKeyRegex()),
        ("an OpenRouter API key", OpenRouterKeyRegex()),
        ("an OpenAI API key", OpenAiKeyRegex()),
        ("a Hugging Face token", HuggingFaceTokenRegex()),
        ("an NVIDIA API key", NvidiaKeyRegex()),
        ("a Groq API key", GroqKeyRegex()),
        ("a Replicate API token", ReplicateTokenRegex()),
        ("a Perplexity API key", PerplexityKeyRegex()),
        ("an xAI API key", XaiKeyRegex()),
        ("a Fireworks AI API key", FireworksKeyRegex()),
        ("a LangSmith API key", LangSmithKeyRegex()),
        ("a GitLab token", GitLabTokenRegex()),
        ("a Docker Hub access token", DockerHubTokenRegex()),
        ("a GitHub token", GitHubTokenRegex()),
        ("an AWS access key", AwsAccessKeyRegex()),
        ("a Slack token", SlackTokenRegex()),
        ("a Google API key", GoogleApiKeyRegex()),
        ("a JSON Web Token", JsonWebTokenRegex()),
        ("a URL with a password", UrlPasswordRegex()),
    ];

    /// <summary>True when <paramref name="name"/> reads as the name of a credential.</summary>
    public static bool IsCredentialName(ReadOnlySpan<char> name)
    {
        if (!name.ContainsAny(NameHints))
        {
            return false;
        }

        Span<Range> words = stackalloc Range[MaxWords];
        var count = SplitWords(name, words);
        if (count == 0 || IsAny(name[words[count - 1]], ReferenceSuffixes))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var word = name[words[i]];
            if (ContainsAny(word, CredentialFragments))
            {
                return true;
            }

            if (i > 0 && word.Equals("KEY", StringComparison.OrdinalIgnoreCase) && IsAny(name[words[i - 1]], KeyQualifiers))
            {
                return true;
            }

            if (word.EndsWith("TOKEN", StringComparison.OrdinalIgnoreCase)
                && !(word.Length == 5 && i > 0 && IsAny(name[words[i - 1]], ModelTokenQualifiers))
                && !(i + 1 < count && IsModelTokenMeasure(name[words[i + 1]])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The key format <paramref name="value"/> contains, such as "a Hugging Face token", or null.</summary>
    public static string? KeyFormatIn(string value)
    {
        if (value.Length < 12 || value.AsSpan().IndexOfAny(Anchors) < 0 || !AnyKeyFormatRegex().IsMatch(value))
        {
            return null;
        }

        foreach (var (format, pattern) in Formats)
        {
            if (pattern.IsMatch(value))
            {
                return format;
            }
        }

        return null;
    }

    /// <summary>
    /// True when a value given to a credential-named variable or flag could be the credential itself. An
    /// empty value, a reference to a variable ($(VAR) as Kubernetes expands it, $VAR or ${VAR} as a shell does) and
    /// an absolute file path point elsewhere; a
    /// switch (true, off) is a setting about credentials, such as ENABLE_API_KEY_AUTH=true. Numbers count:
    /// DB_PASSWORD=123456 is a credential.
    /// </summary>
    public static bool IsLiteral(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        return !value.IsEmpty
            && !IsVariableReference(value)
            && !(value[0] == '/' && !value.Contains(' '))
            && !IsAny(value, Switches);
    }

    /// <summary>True when the whole value is $(VAR), ${VAR} or $VAR: a value filled in from elsewhere, not written here.</summary>
    public static bool IsVariableReference(ReadOnlySpan<char> value)
    {
        if (value.Length < 2 || value[0] != '$')
        {
            return false;
        }

        var name = value[1] switch
        {
            '(' when value[^1] == ')' => value[2..^1],
            '{' when value[^1] == '}' => value[2..^1],
            _ => value[1..],
        };
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Words after TOKEN that make it a measure of model tokens: TOKEN_BUDGET, TOKEN_RATE.</summary>
    private static bool IsModelTokenMeasure(ReadOnlySpan<char> word) =>
        word.Equals("BUDGET", StringComparison.OrdinalIgnoreCase)
        || word.Equals("RATE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("USAGE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("WINDOW", StringComparison.OrdinalIgnoreCase);

    private static int SplitWords(ReadOnlySpan<char> name, Span<Range> words)
    {
        var count = 0;
        var start = -1;
        for (var i = 0; i <= name.Length && count < words.Length; i++)
        {
            var boundary = i == name.Length || !char.IsAsciiLetterOrDigit(name[i]);
            var hump = !boundary && i > 0 && char.IsAsciiLetterUpper(name[i]) && char.IsAsciiLetterLower(name[i - 1]);
            if ((boundary || hump) && start >= 0)
            {
                words[count++] = new Range(start, i);
                start = -1;
            }

            if (!boundary && start < 0)
            {
                start = i;
            }
        }

        return count;
    }

    private static bool IsAny(ReadOnlySpan<char> word, string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAny(ReadOnlySpan<char> word, string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            if (word.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(
        PemPrivateKey + "|" + AnthropicKey + "|" + OpenAiKey + "|" + HuggingFaceToken + "|" + NvidiaKey + "|" + GroqKey + "|" + ReplicateToken + "|" + PerplexityKey
        + "|" + XaiKey + "|" + FireworksKey + "|" + LangSmithKey + "|" + GitLabToken + "|" + DockerHubToken + "|" + GitHubToken + "|" + AwsAccessKey + "|" + SlackToken
        + "|" + GoogleApiKey + "|" + JsonWebToken + "|" + UrlPassword,
        RegexOptions.CultureInvariant)]
    private static partial Regex AnyKeyFormatRegex();

    [GeneratedRegex(PemPrivateKey, RegexOptions.CultureInvariant)]
    private static partial Regex PemPrivateKeyRegex();

    [GeneratedRegex(AnthropicKey, RegexOptions.CultureInvariant)]
    private static partial Regex AnthropicKeyRegex();

    [GeneratedRegex(OpenAiKey, RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiKeyRegex();

    [GeneratedRegex(HuggingFaceToken, RegexOptions.CultureInvariant)]
    private static partial Regex HuggingFaceTokenRegex();

    [GeneratedRegex(GitHubToken, RegexOptions.CultureInvariant)]
    private static partial Regex GitHubTokenRegex();

    [GeneratedRegex(AwsAccessKey, RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyRegex();

    [GeneratedRegex(SlackToken, RegexOptions.CultureInvariant)]
    private static partial Regex SlackTokenRegex();

    [GeneratedRegex(GoogleApiKey, RegexOptions.CultureInvariant)]
    private static partial Regex GoogleApiKeyRegex();

    [GeneratedRegex(JsonWebToken, RegexOptions.CultureInvariant)]
    private static partial Regex JsonWebTokenRegex();

    [GeneratedRegex(UrlPassword, RegexOptions.CultureInvariant)]
    private static partial Regex UrlPasswordRegex();

    [GeneratedRegex(OpenRouterKey, RegexOptions.CultureInvariant)]
    private static partial Regex OpenRouterKeyRegex();

    [GeneratedRegex(NvidiaKey, RegexOptions.CultureInvariant)]
    private static partial Regex NvidiaKeyRegex();

    [GeneratedRegex(GroqKey, RegexOptions.CultureInvariant)]
    private static partial Regex GroqKeyRegex();

    [GeneratedRegex(ReplicateToken, RegexOptions.CultureInvariant)]
    private static partial Regex ReplicateTokenRegex();

    [GeneratedRegex(PerplexityKey, RegexOptions.CultureInvariant)]
    private static partial Regex PerplexityKeyRegex();

    [GeneratedRegex(XaiKey, RegexOptions.CultureInvariant)]
    private static partial Regex XaiKeyRegex();

    [GeneratedRegex(FireworksKey, RegexOptions.CultureInvariant)]
    private static partial Regex FireworksKeyRegex();

    [GeneratedRegex(LangSmithKey, RegexOptions.CultureInvariant)]
    private static partial Regex LangSmithKeyRegex();

    [GeneratedRegex(GitLabToken, RegexOptions.CultureInvariant)]
    private static partial Regex GitLabTokenRegex();

    [GeneratedRegex(DockerHubToken, RegexOptions.CultureInvariant)]
    private static partial Regex DockerHubTokenRegex();
}
