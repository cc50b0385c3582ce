using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Audit;

/// <summary>How one deployment came out, read from its Ready and Stalled conditions.</summary>
public enum Verdict
{
    /// <summary>Ready True: every checked provision is met.</summary>
    Compliant,
    /// <summary>Ready False: a provision is not met.</summary>
    NotCompliant,
    /// <summary>Ready Unknown: nothing is not met, but some evidence could not be gathered offline.</summary>
    Unknown,
    /// <summary>Stalled True: a person must act first, such as creating the profile the deployment names.</summary>
    Stalled,
}

/// <summary>The status the engine computed for one deployment of the input.</summary>
/// <param name="Deployment">The deployment with the file and line it starts at.</param>
/// <param name="ProfileName">The profile it names.</param>
/// <param name="ProfileSource">Where that profile came from: the input, --profile, built-in, or not found.</param>
/// <param name="Status">The status, exactly as the operator would write it.</param>
public sealed record DeploymentVerdict(Located<AIModelDeployment> Deployment, string ProfileName, string ProfileSource, AIModelDeploymentStatus Status)
{
    /// <summary>The sha256 of the canonical spec of the profile it was judged against; null when the profile was not found.</summary>
    public string? ProfileSha256 { get; init; }

    /// <summary>
    /// Its item of the JSON report, rendered as soon as it was judged (<c>-o json</c>); <see cref="Status"/> then keeps
    /// only its conditions and summary, which the exit code and the report's header read.
    /// </summary>
    public byte[]? JsonItem { get; init; }

    /// <summary>"namespace/name".</summary>
    public string Id => $"{Deployment.Object.Metadata.NamespaceProperty}/{Deployment.Object.Metadata.Name}";

    /// <summary>The Ready condition; the engine always writes it.</summary>
    public V1Condition? Ready => Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);

    /// <summary>The verdict the exit code and the summary line count.</summary>
    public Verdict Verdict =>
        Status.Conditions?.Any(c => c.Type == ConditionTypes.Stalled && c.Status == "True") == true ? Verdict.Stalled
        : Ready?.Status switch
        {
            "True" => Verdict.Compliant,
            "Unknown" => Verdict.Unknown,
            _ => Verdict.NotCompliant,
        };
}
