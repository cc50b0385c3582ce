using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Lists the model artifacts that name a signature the profile can judge, with what their files' verification
/// found. Nothing is listed when no model names one, so statuses without model signing stay as small as before.
/// </summary>
internal static class ModelStatusBuilder
{
    public static List<ModelStatus>? Build(Snapshot snapshot, ModelPolicy? policy)
    {
        if (policy?.Trust is not { } trust || !trust.HasSigners())
        {
            return null;
        }

        var signed = (snapshot.Deployment.Spec?.Models ?? []).Where(m => !string.IsNullOrWhiteSpace(m.Signature)).ToList();
        return signed.Count == 0 ? null : [.. signed.Select(m => Describe(m, snapshot))];
    }

    private static ModelStatus Describe(ModelArtifact model, Snapshot snapshot)
    {
        var status = new ModelStatus { Name = model.Name, Source = model.Source };
        if (snapshot.ModelSignatures is not { } evidence || !evidence.TryGetValue(model.Name, out var verification))
        {
            status.Reason = ModelIntegrityControl.SignatureNotCheckedReason;
            return status;
        }

        status.ManifestDigest = verification.Digest;
        status.Digest = verification.ArtifactDigest;
        status.Signer = verification.SignedBy.IsDefaultOrEmpty ? null : verification.SignedBy[0];
        if (verification.Outcome == VerificationOutcome.Verified)
        {
            status.VerifiedAt = verification.VerifiedAt.UtcDateTime;
        }
        else
        {
            status.Reason = verification.Reason;
        }

        return status;
    }
}
