using System.CommandLine;
using AiBaseline.Report.Signing;

namespace AiBaseline.Commands;

/// <summary>
/// <c>aibaseline report verify --key cosign.pub --attestation FILE [REPORT]</c>: checks a signed report offline, as
/// cosign verify-blob-attestation does. Exit 0 verified, 1 not verified, 2 when a file cannot be used.
/// </summary>
internal static class ReportVerifyCommand
{
    public static Command Create()
    {
        var key = new Option<string>("--key") { Description = "The public key (PEM), such as cosign.pub", Required = true };
        var attestation = new Option<string>("--attestation") { Description = "The DSSE envelope written by report --sign-key --attestation", Required = true };
        var report = new Argument<string?>("report") { Description = "The report file that was signed; its sha256 must be a subject", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Check a signed report offline: the signature by the key, the predicate type, and that the report file is the one signed")
        {
            key, attestation, report,
        };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                using var publicKey = SigningKeys.LoadPublic(result.GetRequiredValue(key));
                var envelope = Read(result.GetRequiredValue(attestation), "--attestation");
                var file = result.GetValue(report) is { } path ? ReadBytes(path) : null;
                var check = AttestationCheck.Verify(envelope, publicKey, file);
                (check.Verified ? output : error).WriteLine(check.Verified ? check.Message : $"aibaseline report verify: not verified: {check.Message}");
                return check.Verified ? 0 : 1;
            }
            catch (KeyFileException e)
            {
                return UsageErrors.Report(error, "report verify", e.Message);
            }
        });
        return command;
    }

    private static string Read(string path, string flag)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"{flag}: {path}: cannot be read: {e.Message}");
        }
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"{path}: the report file cannot be read: {e.Message}");
        }
    }
}
