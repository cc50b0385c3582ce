using System.Text.RegularExpressions;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// A keyless signer the policy trusts: the certificate's subject (e-mail, URI or username) and OIDC issuer,
/// each exact or a regular expression that must match the whole value, and optionally the GitHub Actions
/// claims Fulcio records (repository as "owner/name" or its URL, ref, trigger event).
/// </summary>
public sealed record SigstoreIdentity(
    string? Subject = null,
    string? SubjectRegex = null,
    string? Issuer = null,
    string? IssuerRegex = null,
    string? GitHubRepository = null,
    string? GitHubRef = null,
    string? GitHubTrigger = null)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The identity a profile's <c>identities[]</c> entry (spec.images or spec.models.trust) names.</summary>
    public static SigstoreIdentity FromProfile(AiBaseline.Api.V1Alpha1.KeylessIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new SigstoreIdentity(identity.Subject, identity.SubjectRegExp, identity.Issuer, identity.IssuerRegExp,
            identity.GitHubWorkflowRepository, identity.GitHubWorkflowRef, identity.GitHubWorkflowTrigger);
    }

    /// <summary>Checks the identity is usable: one subject and one issuer form each, and regular expressions that parse.</summary>
    /// <exception cref="FormatException">Naming the field.</exception>
    public void Validate()
    {
        if ((Subject is null) == (SubjectRegex is null))
        {
            throw new FormatException("an identity needs exactly one of subject and subjectRegExp");
        }

        if ((Issuer is null) == (IssuerRegex is null))
        {
            throw new FormatException("an identity needs exactly one of issuer and issuerRegExp");
        }

        foreach (var (name, pattern) in new[] { ("subjectRegExp", SubjectRegex), ("issuerRegExp", IssuerRegex) })
        {
            if (pattern is null)
            {
                continue;
            }

            try
            {
                _ = new Regex(pattern, RegexOptions.None, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{name} \"{pattern}\" is not a regular expression: {e.Message}", e);
            }
        }
    }

    /// <summary>A short text for messages and cache keys.</summary>
    public override string ToString() =>
        $"{Subject ?? "~" + SubjectRegex} from {Issuer ?? "~" + IssuerRegex}"
        + (GitHubRepository is null ? "" : $" repo {GitHubRepository}")
        + (GitHubRef is null ? "" : $" ref {GitHubRef}")
        + (GitHubTrigger is null ? "" : $" trigger {GitHubTrigger}");

    internal bool Matches(FulcioClaims claims) =>
        claims.Subjects.Any(s => Match(s, Subject, SubjectRegex))
        && claims.Issuer is not null && Match(claims.Issuer, Issuer, IssuerRegex)
        && (GitHubRepository is null || (claims.Repository is not null && Normalize(claims.Repository) == Normalize(GitHubRepository)))
        && (GitHubRef is null || claims.Ref == GitHubRef)
        && (GitHubTrigger is null || claims.Trigger == GitHubTrigger);

    private static string Normalize(string repository) =>
        repository.StartsWith("https://github.com/", StringComparison.OrdinalIgnoreCase) ? repository["https://github.com/".Length..] : repository;

    private static bool Match(string value, string? exact, string? pattern)
    {
        if (exact is not null)
        {
            return value == exact;
        }

        try
        {
            return Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.None, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

/// <summary>What a Fulcio certificate says about its holder.</summary>
internal sealed record FulcioClaims(IReadOnlyList<string> Subjects, string? Issuer, string? Repository, string? Ref, string? Trigger)
{
    public static FulcioClaims Of(CertificateInfo certificate) => new(
        certificate.SubjectAlternativeNames(),
        certificate.FulcioExtension("1.3.6.1.4.1.57264.1.8", true) ?? certificate.FulcioExtension("1.3.6.1.4.1.57264.1.1", false),
        certificate.FulcioExtension("1.3.6.1.4.1.57264.1.12", true) ?? certificate.FulcioExtension("1.3.6.1.4.1.57264.1.5", false),
        certificate.FulcioExtension("1.3.6.1.4.1.57264.1.14", true) ?? certificate.FulcioExtension("1.3.6.1.4.1.57264.1.6", false),
        certificate.FulcioExtension("1.3.6.1.4.1.57264.1.20", true) ?? certificate.FulcioExtension("1.3.6.1.4.1.57264.1.2", false));

    public override string ToString() =>
        $"{(Subjects.Count == 0 ? "(no subject)" : string.Join(", ", Subjects))} from {Issuer ?? "(no issuer)"}";
}
