using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// How the admission webhook treats images and model artifacts whose signatures are not verified yet. The webhook never
/// verifies inside a request: it looks the digest up in the operator's verification cache, and a digest never seen is
/// verified in the background while the request waits at most <see cref="VerificationWaitSeconds"/>.
/// </summary>
public sealed class AdmissionPolicy
{
    /// <summary>
    /// What Enforce does with an artifact still unverified after the wait: Deny (the default) refuses the request with a
    /// message saying it passes on retry once verified (controllers retry Pod creation by themselves), Allow admits it
    /// and leaves the verdict to the operator's status.
    /// </summary>
    [JsonPropertyName("unverified")]
    [DefaultValue(UnverifiedAction.Deny)]
    public UnverifiedAction Unverified { get; set; } = UnverifiedAction.Deny;

    /// <summary>How long a request waits for a verification that is under way, in seconds; keep it well below the webhook's timeoutSeconds.</summary>
    [JsonPropertyName("verificationWaitSeconds")]
    [DefaultValue(2)]
    [Range(0, 10)]
    public int VerificationWaitSeconds { get; set; } = 2;
}

/// <summary>What the admission webhook does with an artifact whose signatures are not verified yet.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnverifiedAction>))]
public enum UnverifiedAction
{
    Deny,
    Allow,
}
