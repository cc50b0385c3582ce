using System.Security.Cryptography;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>The outcome of verifying a model directory against its OMS signature.</summary>
/// <param name="Verified">Whether the signature verified under the policy and every file matches the signed manifest.</param>
/// <param name="Reason">
/// "Verified", a <see cref="SigstoreReasons"/> value, or, once the signature verified, what differs on disk:
/// <see cref="ModelVerifier.FileMismatch"/>, <see cref="VerificationReasons.FileMissing"/> or <see cref="VerificationReasons.FileNotSigned"/>.
/// </param>
/// <param name="Message">What was verified, or the first thing that did not.</param>
/// <param name="Signer">Who signed, when the signature verified.</param>
/// <param name="ManifestDigest">sha256 of the signed manifest (the statement's subject), when the signature verified.</param>
public sealed record ModelVerificationResult(bool Verified, string Reason, string Message, string? Signer, string? ManifestDigest);

/// <summary>Input a model verification cannot use: a missing path, a signature that is not a bundle, a manifest of an unsupported kind.</summary>
public sealed class ModelInputException(string message) : Exception(message);

/// <summary>
/// Verifies a model against an OpenSSF Model Signing signature (<c>model.sig</c>, a Sigstore bundle): the bundle
/// under the policy, then the manifest it signs against the files on disk, naming the first file that differs.
/// </summary>
public static class ModelVerifier
{
    /// <summary>A file's bytes differ from the signed manifest (or it is a symbolic link the signature does not allow).</summary>
    public const string FileMismatch = "FileMismatch";

    /// <summary>Whether <paramref name="reason"/> says the signature verified and the files on disk do not match it.</summary>
    public static bool IsFileReason(string reason) =>
        reason is FileMismatch or VerificationReasons.FileMissing or VerificationReasons.FileNotSigned;

    /// <summary>Verifies <paramref name="modelPath"/> (a directory or one file).</summary>
    /// <exception cref="ModelInputException">The input cannot be used; the message names the file.</exception>
    public static async Task<ModelVerificationResult> VerifyAsync(
        string modelPath, string signaturePath, SigstorePolicy policy, IReadOnlyCollection<string> ignorePaths, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(modelPath) && !Directory.Exists(modelPath))
        {
            throw new ModelInputException($"{modelPath}: no such file or directory");
        }

        byte[] bundleBytes;
        try
        {
            bundleBytes = await File.ReadAllBytesAsync(signaturePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelInputException($"{signaturePath}: cannot read the signature: {e.Message}");
        }

        SigstoreBundle bundle;
        try
        {
            bundle = SigstoreBundle.Parse(bundleBytes);
        }
        catch (SigstoreVerificationException e)
        {
            throw new ModelInputException($"{signaturePath}: {e.Message}");
        }

        if (bundle.Dsse is null)
        {
            throw new ModelInputException($"{signaturePath}: the bundle has no DSSE envelope, so it is not an OMS model signature");
        }

        SigstoreVerification verification;
        try
        {
            verification = SigstoreVerifier.Verify(bundle, policy, null, now);
        }
        catch (SigstoreVerificationException e)
        {
            return new ModelVerificationResult(false, e.Reason, $"{signaturePath}: {e.Message}", null, null);
        }

        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Parse(verification.Envelope!.Payload);
        }
        catch (FormatException e)
        {
            throw new ModelInputException($"{signaturePath}: {e.Message}");
        }

        var manifestDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest.Files.Values.SelectMany(Convert.FromHexString).ToArray()));
        var (files, symlinks) = ModelHasher.Enumerate(modelPath, [.. ignorePaths, signaturePath]);
        if (!manifest.AllowSymlinks && symlinks.Count > 0)
        {
            return Mismatch(FileMismatch, $"{symlinks[0]} is a symbolic link, and the signature does not allow them", verification, manifestDigest);
        }

        var onDisk = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var missing = manifest.Files.Keys.FirstOrDefault(name => !onDisk.Contains(name));
        var extra = files.Select(f => f.Name).FirstOrDefault(name => !manifest.Files.ContainsKey(name));
        if (missing is not null && (extra is null || string.CompareOrdinal(missing, extra) < 0))
        {
            return Mismatch(VerificationReasons.FileMissing, $"{missing} is signed but missing", verification, manifestDigest);
        }

        if (extra is not null)
        {
            return Mismatch(VerificationReasons.FileNotSigned, $"{extra} is not in the signed manifest (pass --ignore-paths to leave it out)", verification, manifestDigest);
        }

        var digests = await ModelHasher.HashAsync(files, cancellationToken).ConfigureAwait(false);
        var changed = manifest.Files.FirstOrDefault(f => digests[f.Key] != f.Value);
        if (changed.Key is not null)
        {
            var shown = changed.Key == "." ? Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath)) : changed.Key;
            return Mismatch(FileMismatch, $"{shown} differs from the signed manifest (sha256 {digests[changed.Key]}, signed {changed.Value})", verification, manifestDigest);
        }

        return new ModelVerificationResult(true, VerificationReasons.Verified,
            $"{manifest.Files.Count} {(manifest.Files.Count == 1 ? "file matches" : "files match")} the manifest signed by {verification.Signer}", verification.Signer, manifestDigest);
    }

    private static ModelVerificationResult Mismatch(string reason, string message, SigstoreVerification verification, string manifestDigest) =>
        new(false, reason, message, verification.Signer, manifestDigest);
}
