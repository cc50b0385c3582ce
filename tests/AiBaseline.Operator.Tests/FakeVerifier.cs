using System.Collections.Concurrent;
using AiBaseline.Engine;
using AiBaseline.Provenance;

namespace AiBaseline.Operator.Tests;

/// <summary>A registry stand-in: answers with <c>answer</c> (which the test may change), counts the calls per reference and keeps the credentials given.</summary>
internal sealed class FakeVerifier(Func<string, ArtifactVerification> answer) : IArtifactVerifier
{
    private readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RegistryCredentials?> credentialsSeen = new(StringComparer.Ordinal);

    public Func<string, ArtifactVerification> Answer { get; set; } = answer;

    /// <summary>A registry's answer for a reference signed by the key named "release".</summary>
    public static ArtifactVerification Verified(string reference) =>
        new(reference, reference[(reference.IndexOf('@', StringComparison.Ordinal) + 1)..], VerificationOutcome.Verified, VerificationReasons.Verified,
            $"{reference}: signed by release", ["release"], [], DateTimeOffset.UtcNow);

    public int Calls(string reference) => calls.GetValueOrDefault(reference);

    public int TotalCalls => calls.Values.Sum();

    /// <summary>The credentials the last verification of <paramref name="reference"/> was given (null: anonymous).</summary>
    public RegistryCredentials? CredentialsFor(string reference) => credentialsSeen.GetValueOrDefault(reference);

    public Task<ArtifactVerification> VerifyAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
    {
        credentialsSeen[reference] = credentials;
        calls.AddOrUpdate(reference, 1, (_, n) => n + 1);
        return Task.FromResult(Answer(reference));
    }
}
