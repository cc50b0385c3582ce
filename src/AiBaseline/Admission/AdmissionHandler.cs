using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using AiBaseline.Engine;

namespace AiBaseline.Admission;

/// <summary>The verification cache as the webhook sees it: answers at once for a digest already verified, starts the verification otherwise.</summary>
internal interface IVerificationLookup
{
    /// <summary>The evidence for each reference; completes when all are verified, at the speed of the cache or the registry.</summary>
    Task<IReadOnlyDictionary<string, ArtifactVerification>> LookupAsync(AdmissionSubject subject, ImmutableArray<string> references, CancellationToken ct);
}

/// <summary>Where denials are told to the model team: an event on the AIModelDeployment.</summary>
internal interface IDenialRecorder
{
    /// <summary>Records a denial; returns at once (the event is written off the request path).</summary>
    void Denied(AdmissionSubject subject, AdmissionVerdict verdict);
}

/// <summary>The webhook's settings.</summary>
internal sealed record AdmissionOptions
{
    /// <summary>Namespaces never judged even if the API server sends them (kube-system, the operator's own, the chart's list).</summary>
    public IReadOnlySet<string> ExcludedNamespaces { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "kube-system" };
}

/// <summary>An HTTP answer: a status code and a JSON or text body.</summary>
internal sealed record AdmissionAnswer(int StatusCode, ReadOnlyMemory<byte> Body, string ContentType)
{
    public static AdmissionAnswer BadRequest(string message) =>
        new(400, System.Text.Encoding.UTF8.GetBytes("bad AdmissionReview: " + message + "\n"), "text/plain; charset=utf-8");
}

/// <summary>
/// Answers AdmissionReview v1 requests: parse, find the governing AIModelDeployment and its profile in the caches, look the
/// signatures up in the verification cache with a bounded wait (never verifying inside the request), judge with the engine,
/// answer. A body that is not an AdmissionReview is a 400 naming what is wrong, never an exception.
/// </summary>
internal sealed class AdmissionHandler(
    IAdmissionState state,
    IVerificationLookup verification,
    AdmissionOptions options,
    AdmissionMetrics? metrics,
    IDenialRecorder? denials,
    TimeProvider time,
    ILogger<AdmissionHandler> logger)
{
    private const string DeniedLog = "Denied {Operation} of {Kind} {Namespace}/{Name}{DryRun}: {Message}";
    private const string UnjudgedLog = "Admitted {Operation} of {Kind} {Namespace}/{Name} without judging it: {Why}";

    public async Task<AdmissionAnswer> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            metrics?.Record("", "", "error", "", started);
            return AdmissionAnswer.BadRequest($"the body is not JSON: {e.Message}");
        }

        using (document)
        {
            AdmissionRequest request;
            AdmissionSubject? subject;
            Skip skip;
            try
            {
                request = AdmissionReview.Parse(document);
                (subject, skip) = AdmissionSubjects.Of(request, state, options.ExcludedNamespaces);
            }
            catch (MalformedReviewException e)
            {
                metrics?.Record("", "", "error", "", started);
                return AdmissionAnswer.BadRequest(e.Message);
            }

            if (subject is null)
            {
                logger.LogDebug(UnjudgedLog, request.Operation, request.Kind, request.Namespace, request.Name, skip);
            }

            var verdict = subject is null ? AdmissionVerdict.Allow : await JudgeAsync(subject, ct).ConfigureAwait(false);
            if (verdict.Decision == AdmissionDecision.Denied)
            {
                logger.LogInformation(DeniedLog, request.Operation, request.Kind, request.Namespace, subject!.Name, request.DryRun ? " (dry run)" : "", verdict.Message);
                if (!request.DryRun)
                {
                    denials?.Denied(subject, verdict);
                }
            }

            var buffer = new ArrayBufferWriter<byte>(512);
            AdmissionReview.WriteResponse(buffer, request.Uid, verdict.Decision != AdmissionDecision.Denied, verdict.Message, verdict.Warnings);
            metrics?.Record(request.Operation, request.Kind, Label(verdict.Decision), subject?.Profile.Spec.Mode.ToString() ?? "", started);
            return new AdmissionAnswer(200, buffer.WrittenMemory, "application/json");
        }
    }

    private async Task<AdmissionVerdict> JudgeAsync(AdmissionSubject subject, CancellationToken ct)
    {
        var profile = subject.Profile.Spec;
        IReadOnlyDictionary<string, ArtifactVerification>? provenance = null;
        if (AdmissionJudge.NeedsProvenance(profile) && AdmissionJudge.ReferencesOf(subject) is { Length: > 0 } references)
        {
            var lookup = verification.LookupAsync(subject, references, ct);
            if (lookup.IsCompletedSuccessfully)
            {
                provenance = lookup.Result;
            }
            else
            {
                try
                {
                    provenance = await lookup.WaitAsync(TimeSpan.FromSeconds(profile.Admission.VerificationWaitSeconds), time, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Still verifying: the judgement reports the signatures as not checked, and the profile says what that means.
                }
            }
        }

        return AdmissionJudge.Judge(subject, state, provenance, time.GetUtcNow());
    }

    private static string Label(AdmissionDecision decision) => decision switch
    {
        AdmissionDecision.Denied => "denied",
        AdmissionDecision.Warned => "warned",
        _ => "allowed",
    };
}
