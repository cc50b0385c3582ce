using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Lists the workload's init and regular container images with their digest and registry evidence. In a workload of
/// several pod templates a container is named by its template's role, as in "worker/vllm".
/// </summary>
internal static class ImageStatusBuilder
{
    public static List<ImageStatus>? Build(Snapshot snapshot)
    {
        if (snapshot.Workload is not { } workload || (workload.Templates.IsDefaultOrEmpty && workload.Template.Spec is null))
        {
            return null;
        }

        var containers = workload.AllTemplates.SelectMany(t =>
        {
            var pod = t.Template.Spec;
            var prefix = t.Role.Length == 0 ? "" : t.Role + "/";
            return (pod?.InitContainers ?? []).Concat(pod?.Containers ?? []).Select(c => (Name: prefix + c.Name, c.Image));
        });
        return [.. containers.Select(c => Describe(c.Name, c.Image ?? "", snapshot))];
    }

    private static ImageStatus Describe(string container, string image, Snapshot snapshot)
    {
        var status = new ImageStatus { Container = container, Image = image, Digest = DigestIn(image) };
        if (snapshot.Provenance is { } provenance && provenance.TryGetValue(image, out var verification))
        {
            status.Digest ??= verification.Digest;
            if (verification.Outcome == VerificationOutcome.Verified)
            {
                status.SignedBy = verification.SignedBy.IsDefaultOrEmpty ? null : [.. verification.SignedBy];
                status.Attestations = verification.AttestationTypes.IsDefaultOrEmpty ? null : [.. verification.AttestationTypes];
                status.VerifiedAt = verification.VerifiedAt.UtcDateTime;
            }
        }

        return status;
    }

    /// <summary>The digest an image reference is pinned to, such as "sha256:…" in "repo@sha256:…".</summary>
    public static string? DigestIn(string image)
    {
        var at = image.LastIndexOf('@');
        return at < 0 ? null : image[(at + 1)..];
    }
}
