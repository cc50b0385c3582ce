using System.Collections.Immutable;
using AiBaseline.Engine.Controls;
using k8s.Models;

namespace AiBaseline.Engine.Tests;

/// <summary>Runs one control the way the engine does, and builds the registry evidence and RBAC grants controls read.</summary>
internal static class ControlHarness
{
    public static ControlOutcome Evaluate(IControl control, Snapshot snapshot, Api.V1Alpha1.BaselineProfile? profile = null) =>
        control.Evaluate(new EvaluationContext(snapshot, (profile ?? Builders.Profile()).Spec, Builders.Now));

    /// <summary>Asserts a table row: the control's result and reason, and a fragment of its message, naming the row's reason on failure.</summary>
    public static void AssertRow(IControl control, string reason, Snapshot snapshot, Api.V1Alpha1.BaselineProfile? profile, Api.V1Alpha1.ControlResult result, string expectedReason, string fragment)
    {
        var outcome = Evaluate(control, snapshot, profile);

        Assert.True((result, expectedReason) == (outcome.Result, outcome.Reason), $"{reason}: got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        Assert.Contains(fragment, outcome.Message, StringComparison.Ordinal);
    }

    public static ArtifactVerification Verified(string reference, string? digest = Builders.Digest, params string[] attestations) =>
        new(reference, digest, VerificationOutcome.Verified, "Verified", $"{reference} is signed by release", ["release"], [.. attestations], Builders.Now);

    public static ArtifactVerification Failed(string reference, string reason, string message) =>
        new(reference, null, VerificationOutcome.Failed, reason, message, [], [], Builders.Now);

    public static ArtifactVerification Unavailable(string reference, string reason, string message) =>
        new(reference, null, VerificationOutcome.Unavailable, reason, message, [], [], Builders.Now);

    public static ImmutableDictionary<string, ArtifactVerification> Provenance(params ArtifactVerification[] evidence) =>
        evidence.ToImmutableDictionary(e => e.Reference, StringComparer.Ordinal);

    public static RoleGrant Grant(string bindingKind, string bindingName, string roleKind, string roleName, params V1PolicyRule[] rules) =>
        new(bindingKind, bindingName, roleKind, roleName, [.. rules]);

    public static V1PolicyRule Rule(string[] apiGroups, string[] resources, params string[] verbs) =>
        new() { ApiGroups = apiGroups, Resources = resources, Verbs = verbs };
}
