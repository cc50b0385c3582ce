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
    private const string OpenAiKey = @"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}";
    private const string HuggingFaceToken = @"\bhf_[A-Za-z0-9]{30,}";
    private const string GitHubToken = @"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})";
    private const string AwsAccessKey = @"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b";
    private const string SlackToken = @"\bxox[abposr]-[A-Za-z0-9\-]{10,}";
    private const string GoogleApiKey = @"\bAIza[0-9A-Za-z_\-]{35}";
    private const string JsonWebToken = @"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*";
    private const string UrlPassword = @"[a-z][a-z0-9+.\-]*://[^/\s:@]*:[^/\s@]+@";

    private static readonly (string Format, Regex Pattern)[] Formats =
    [
        ("a PEM private key", PemPrivateKeyRegex()),
        ("an Anthropic API key", AnthropicKeyRegex()),
        ("an OpenAI API key", OpenAiKeyRegex()),
        ("a Hugging Face token", HuggingFaceTokenRegex()),
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
        if (value.Length < 12 || !AnyKeyFormatRegex().IsMatch(value))
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
    /// empty value, a $(VAR) expansion of another variable and an absolute file path point elsewhere; a
    /// switch (true, off) is a setting about credentials, such as ENABLE_API_KEY_AUTH=true. Numbers count:
    /// DB_PASSWORD=123456 is a credential.
    /// </summary>
    public static bool IsLiteral(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        return !value.IsEmpty
            && !(value.StartsWith("$(", StringComparison.Ordinal) && value[^1] == ')')
            && !(value[0] == '/' && !value.Contains(' '))
            && !IsAny(value, Switches);
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

    [GeneratedRegex(PemPrivateKey + "|" + AnthropicKey + "|" + OpenAiKey + "|" + HuggingFaceToken + "|" + GitHubToken + "|" + AwsAccessKey + "|" + SlackToken + "|" + GoogleApiKey + "|" + JsonWebToken + "|" + UrlPassword, RegexOptions.CultureInvariant)]
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
}
