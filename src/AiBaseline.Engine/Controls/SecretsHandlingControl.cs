using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// SecretsHandling: credentials reach the model pods only through Secrets that exist, never as text in
/// the pod template or in a ConfigMap, and the pods hold no Kubernetes API token they did not ask for.
/// <list type="bullet">
/// <item>Reads the workload's pod template: <c>containers[*]</c> and <c>initContainers[*]</c>
/// (<c>env[*].value</c>, <c>env[*].valueFrom.secretKeyRef</c>, <c>env[*].valueFrom.configMapKeyRef</c>,
/// <c>envFrom[*].secretRef</c>, <c>envFrom[*].configMapRef</c>, <c>command</c>, <c>args</c>, the probes'
/// and lifecycle hooks' <c>exec.command</c> and <c>httpGet.httpHeaders</c>),
/// <c>volumes[*].secret</c>, <c>volumes[*].configMap</c>, <c>volumes[*].projected.sources[*]</c>,
/// <c>imagePullSecrets</c> and <c>automountServiceAccountToken</c>; the ServiceAccount's
/// <c>automountServiceAccountToken</c> and <c>imagePullSecrets</c>; the names of the namespace's Secrets; the
/// data of the ConfigMaps the pods use; profile <c>secrets</c>.</item>
/// <item>Passes when no env value, command, args entry or header holds a credential (a credential-named variable,
/// flag or header with a literal value, or any value in a well-known key format: PEM private key, OpenAI,
/// OpenRouter, Anthropic, Hugging Face, NVIDIA, Groq, Replicate, Perplexity, xAI, Fireworks AI, LangSmith,
/// GitHub, GitLab, Docker Hub, AWS, Slack, Google keys, JSON Web Tokens, URLs with a password that is not a
/// $VAR reference); every Secret referenced without <c>optional: true</c>, and every pull secret, exists (a pull
/// secret whose existence cannot be known is Unknown); no service-account token is automounted unless
/// the profile allows it (the pod's setting wins over the ServiceAccount's; a projected
/// serviceAccountToken volume is a declared token and passes); and no ConfigMap the pods use holds a
/// credential-named key or a value in a key format.</item>
/// <item>Serves EN 304 223 5.2.1-4 and 5.2.1-4.2 (protect the assets: credentials and keys to weights),
/// 5.2.2-1 (access control to models and pipelines) and 5.1.2-6 (only the permissions the function needs).</item>
/// </list>
/// Messages name the container and variable, args index or ConfigMap key; never the value.
/// </summary>
public sealed class SecretsHandlingControl : IControl
{
    /// <summary>Every credential reaches the pods through an existing Secret.</summary>
    public const string ProtectedReason = "SecretsProtected";

    /// <summary>An env value, command or args entry holds a credential.</summary>
    public const string LiteralCredentialReason = "LiteralCredential";

    /// <summary>A ConfigMap the pods use holds a credential.</summary>
    public const string SecretInConfigMapReason = "SecretInConfigMap";

    /// <summary>A Secret the pods reference without optional: true does not exist.</summary>
    public const string SecretNotFoundReason = "SecretNotFound";

    /// <summary>An imagePullSecrets entry names a Secret whose existence cannot be known: the audit's input holds no Secret of the namespace.</summary>
    public const string PullSecretNotCheckedReason = "PullSecretNotChecked";

    /// <summary>The pods automount a service-account token the profile does not allow.</summary>
    public const string ServiceAccountTokenMountedReason = "ServiceAccountTokenMounted";

    private const string SecretKeyRefFix = "move it to a Secret and reference it with env valueFrom.secretKeyRef";

    public string Name => "SecretsHandling";

    public string ConditionType => ConditionTypes.SecretsProtected;

    public ImmutableArray<string> Provisions { get; } = ["5.2.1-4", "5.2.2-1", "5.1.2-6", "5.2.1-4.2"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var pod = context.Snapshot.Workload!.Template.Spec ?? new V1PodSpec();
        var rules = context.Profile.Secrets;
        var findings = new FindingSet(maxShown: 8);
        foreach (var container in pod.InitContainers ?? [])
        {
            CheckContainer(context, rules, "init container " + container.Name, container, findings);
        }

        foreach (var container in pod.Containers ?? [])
        {
            CheckContainer(context, rules, "container " + container.Name, container, findings);
        }

        CheckVolumes(context, pod, findings);
        CheckPullSecrets(context, pod, findings);
        if (!rules.AllowServiceAccountToken)
        {
            CheckServiceAccountToken(context, pod, findings);
        }

        if (rules.ForbidSecretsInConfigMaps)
        {
            CheckConfigMaps(context, pod, findings);
        }

        return findings.Outcome()
            ?? ControlOutcome.Met(ProtectedReason, "credentials come only from existing Secrets; no literal credential or unrequested token");
    }

    private static void CheckContainer(EvaluationContext context, SecretsPolicy rules, string label, V1Container container, FindingSet findings)
    {
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.SecretKeyRef is { } keyRef)
            {
                if (IsMissing(context, keyRef.Name, keyRef.Optional))
                {
                    AddSecretNotFound(context, $"{label}: env {variable.Name}", keyRef.Name, findings);
                }
            }
            else if (rules.ForbidLiteralCredentials && !string.IsNullOrEmpty(variable.Value))
            {
                if (CredentialPatterns.KeyFormatIn(variable.Value) is { } format)
                {
                    findings.NotMet(LiteralCredentialReason, $"{label}: env {variable.Name} holds {format}; {SecretKeyRefFix}", 0);
                }
                else if (CredentialPatterns.IsCredentialName(variable.Name) && CredentialPatterns.IsLiteral(variable.Value))
                {
                    findings.NotMet(LiteralCredentialReason, $"{label}: env {variable.Name} holds a literal credential; {SecretKeyRefFix}", 0);
                }
            }
        }

        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.SecretRef is { } secretRef)
            {
                if (IsMissing(context, secretRef.Name, secretRef.Optional))
                {
                    AddSecretNotFound(context, $"{label}: envFrom", secretRef.Name, findings);
                }
            }
        }

        if (rules.ForbidLiteralCredentials)
        {
            CheckArguments(label, "command", container.Command, findings);
            CheckArguments(label, "args", container.Args, findings);
            CheckProbe(label, "livenessProbe", container.LivenessProbe, findings);
            CheckProbe(label, "readinessProbe", container.ReadinessProbe, findings);
            CheckProbe(label, "startupProbe", container.StartupProbe, findings);
            CheckHandler(label, "lifecycle.postStart", container.Lifecycle?.PostStart, findings);
            CheckHandler(label, "lifecycle.preStop", container.Lifecycle?.PreStop, findings);
        }
    }

    private static void CheckProbe(string label, string field, V1Probe? probe, FindingSet findings)
    {
        if (probe is not null)
        {
            CheckArguments(label, field + ".exec.command", probe.Exec?.Command, findings);
            CheckHeaders(label, field + ".httpGet", probe.HttpGet?.HttpHeaders, findings);
        }
    }

    private static void CheckHandler(string label, string field, V1LifecycleHandler? handler, FindingSet findings)
    {
        if (handler is not null)
        {
            CheckArguments(label, field + ".exec.command", handler.Exec?.Command, findings);
            CheckHeaders(label, field + ".httpGet", handler.HttpGet?.HttpHeaders, findings);
        }
    }

    /// <summary>
    /// Finds key formats in any header value, and literal values of credential headers (Authorization, X-Api-Key).
    /// The kubelet sends headers as written: nothing in them is expanded, so a header cannot take a Secret.
    /// </summary>
    private static void CheckHeaders(string label, string field, IList<V1HTTPHeader>? headers, FindingSet findings)
    {
        const string fix = "the kubelet cannot read a Secret for a header: probe an endpoint that needs no credential, or use an exec probe that reads the credential from a Secret-backed env variable";
        for (var i = 0; i < (headers?.Count ?? 0); i++)
        {
            var header = headers![i];
            var value = header.Value ?? "";
            var where = $"{label}: {field}.httpHeaders[{i}] ({header.Name})";
            if (CredentialPatterns.KeyFormatIn(value) is { } format)
            {
                findings.NotMet(LiteralCredentialReason, $"{where} holds {format}; {fix}", 0);
            }
            else if (IsCredentialHeader(header.Name) && CredentialPatterns.IsLiteral(CredentialOf(value)))
            {
                findings.NotMet(LiteralCredentialReason, $"{where} holds a literal credential; {fix}", 0);
            }
        }
    }

    private static bool IsCredentialHeader(string? name) =>
        name is not null
        && (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
            || CredentialPatterns.IsCredentialName(name));

    /// <summary>The credential part of an Authorization value: what follows the scheme (Bearer, Basic), or the whole value.</summary>
    private static string CredentialOf(string value)
    {
        var trimmed = value.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? trimmed[(space + 1)..] : trimmed;
    }

    /// <summary>Finds key formats in any entry, and credential flags given a literal: --api-key=… or --token ….</summary>
    private static void CheckArguments(string label, string field, IList<string>? arguments, FindingSet findings)
    {
        if (arguments is null)
        {
            return;
        }

        const string fix = "pass it from a Secret through an env variable (valueFrom.secretKeyRef) and $(VAR) in args";
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i] ?? "";
            if (CredentialPatterns.KeyFormatIn(argument) is { } format)
            {
                findings.NotMet(LiteralCredentialReason, $"{label}: {field}[{i}] holds {format}; {fix}", 0);
                continue;
            }

            if (argument.Length < 2 || argument[0] != '-')
            {
                continue;
            }

            var flag = argument.AsSpan().TrimStart('-');
            var dashes = argument.AsSpan(0, argument.Length - flag.Length);
            var equals = flag.IndexOf('=');
            var flagName = equals < 0 ? flag : flag[..equals];
            if (!CredentialPatterns.IsCredentialName(flagName))
            {
                continue;
            }

            if (equals >= 0 && CredentialPatterns.IsLiteral(flag[(equals + 1)..]))
            {
                findings.NotMet(LiteralCredentialReason, $"{label}: {field}[{i}] gives {dashes}{flagName} a literal credential; {fix}", 0);
            }
            else if (equals < 0 && i + 1 < arguments.Count && arguments[i + 1] is { } next && !next.StartsWith('-') && CredentialPatterns.IsLiteral(next))
            {
                findings.NotMet(LiteralCredentialReason, $"{label}: {field}[{i + 1}] gives {dashes}{flagName} a literal credential; {fix}", 0);
                i++;
            }
        }
    }

    private static void CheckVolumes(EvaluationContext context, V1PodSpec pod, FindingSet findings)
    {
        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.Secret is { } secret)
            {
                if (IsMissing(context, secret.SecretName, secret.Optional))
                {
                    AddSecretNotFound(context, $"volume {volume.Name}", secret.SecretName, findings);
                }
            }

            foreach (var projection in volume.Projected?.Sources ?? [])
            {
                if (projection.Secret is { } projected)
                {
                    if (IsMissing(context, projected.Name, projected.Optional))
                    {
                        AddSecretNotFound(context, $"volume {volume.Name}", projected.Name, findings);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The pull secrets of the pod and of its ServiceAccount (which the API server adds to the pod) must exist, or an
    /// image from a private registry cannot be pulled. When the Secrets of the namespace are not known (an audit whose
    /// input holds none of them), that cannot be checked.
    /// </summary>
    private static void CheckPullSecrets(EvaluationContext context, V1PodSpec pod, FindingSet findings)
    {
        var account = context.Snapshot.ServiceAccount;
        var references = (pod.ImagePullSecrets ?? []).Select((r, i) => (r.Name, Where: $"pod: imagePullSecrets[{i}]"))
            .Concat((account?.ImagePullSecrets ?? []).Select((r, i) => (r.Name, Where: $"ServiceAccount {context.Namespace}/{account!.Metadata?.Name}: imagePullSecrets[{i}]")));
        foreach (var (name, where) in references)
        {
            if (!IsMissing(context, name, optional: null))
            {
                continue;
            }

            if (context.Snapshot.SecretsListed)
            {
                findings.NotMet(SecretNotFoundReason, $"{where} names Secret {context.Namespace}/{name}, which does not exist, so images from a private registry cannot be pulled; create it or fix the name", 2);
            }
            else
            {
                findings.Unknown(PullSecretNotCheckedReason, $"{where} names Secret {context.Namespace}/{name}, and the input holds no Secret of namespace {context.Namespace}, so whether it exists cannot be checked offline; add the Secret's manifest (its data is not read) or check in the cluster");
            }
        }
    }

    /// <summary>True when a reference that is not optional names a Secret the namespace does not have.</summary>
    private static bool IsMissing(EvaluationContext context, string? name, bool? optional)
    {
        if (optional == true || string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var secret in context.Snapshot.Secrets)
        {
            if (string.Equals(secret.Name, name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void AddSecretNotFound(EvaluationContext context, string where, string name, FindingSet findings) =>
        findings.NotMet(SecretNotFoundReason, $"{where} references Secret {context.Namespace}/{name}, which does not exist; create it, fix the name, or mark the reference optional", 2);

    private static void CheckServiceAccountToken(EvaluationContext context, V1PodSpec pod, FindingSet findings)
    {
        var account = pod.ServiceAccountName is { Length: > 0 } name ? name : "default";
        switch (pod.AutomountServiceAccountToken)
        {
            case true:
                findings.NotMet(ServiceAccountTokenMountedReason, "pod: spec.automountServiceAccountToken is true, so every container holds a Kubernetes API token; set it to false, or mount a bound token with a projected serviceAccountToken volume if the model needs one", 3);
                break;
            case null when context.Snapshot.ServiceAccount?.AutomountServiceAccountToken == true:
                findings.NotMet(ServiceAccountTokenMountedReason, $"pod: a Kubernetes API token is mounted because ServiceAccount {context.Namespace}/{account} sets automountServiceAccountToken: true and the pod spec does not override it; set spec.template.spec.automountServiceAccountToken: false, or false on the ServiceAccount", 3);
                break;
            case null when context.Snapshot.ServiceAccount?.AutomountServiceAccountToken != false:
                findings.NotMet(ServiceAccountTokenMountedReason, $"pod: a Kubernetes API token is mounted because neither the pod spec nor ServiceAccount {context.Namespace}/{account} sets automountServiceAccountToken: false; set spec.template.spec.automountServiceAccountToken: false", 3);
                break;
        }
    }

    private static void CheckConfigMaps(EvaluationContext context, V1PodSpec pod, FindingSet findings)
    {
        foreach (var configMap in context.Snapshot.ConfigMaps)
        {
            var name = configMap.Metadata?.Name;
            if (name is null || configMap.Data is null || !Uses(pod, name))
            {
                continue;
            }

            foreach (var (key, value) in configMap.Data)
            {
                if (CredentialIn(key, value) is { } what)
                {
                    findings.NotMet(SecretInConfigMapReason, $"ConfigMap {context.Namespace}/{name}: key {key} holds {what}; move it to a Secret", 1);
                }
            }
        }
    }

    /// <summary>
    /// Whether this ConfigMap entry can be reported as a credential: the only entries this control reads. A cache may
    /// keep just these (the operator does, to hold little of a cluster's ConfigMap data) without changing a verdict.
    /// </summary>
    public static bool MayHoldCredential(string key, string? value) => CredentialIn(key, value) is not null;

    /// <summary>What kind of credential the entry holds, as a finding words it, or null.</summary>
    private static string? CredentialIn(string key, string? value) =>
        string.IsNullOrEmpty(value) ? null
        : CredentialPatterns.KeyFormatIn(value) is { } format ? format
        : CredentialPatterns.IsCredentialName(key) && CredentialPatterns.IsLiteral(value) ? "a credential"
        : null;

    private static bool Uses(V1PodSpec pod, string configMap)
    {
        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.ConfigMap?.Name == configMap || (volume.Projected?.Sources?.Any(s => s.ConfigMap?.Name == configMap) ?? false))
            {
                return true;
            }
        }

        return UsedBy(pod.InitContainers, configMap) || UsedBy(pod.Containers, configMap);
    }

    private static bool UsedBy(IList<V1Container>? containers, string configMap)
    {
        foreach (var container in containers ?? [])
        {
            if ((container.Env?.Any(e => e.ValueFrom?.ConfigMapKeyRef?.Name == configMap) ?? false)
                || (container.EnvFrom?.Any(e => e.ConfigMapRef?.Name == configMap) ?? false))
            {
                return true;
            }
        }

        return false;
    }
}
