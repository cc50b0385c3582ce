using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using k8s.Models;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class SecretsHandlingControlTests
{
    private const string HuggingFaceToken = "hf_Zq8wXv3RtY6uIo9PaSdFgHjKlZxCvBnM42";
    private const string OpenAiKey = "sk-proj-Qm7Wn2Er5Ty8Ui1Op4As6Df9Gh3Jk0Lz";
    private const string PemKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    private const string Password = "Tr0ub4dor-horse-battery";
    private const string NvidiaKey = "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";
    private const string GroqKey = "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";

    private static readonly SecretsHandlingControl Control = new();

    private static readonly Dictionary<string, (Action<Snapshot> Change, Action<BaselineProfileSpec>? Profile)> Cases = new()
    {
        ["compliant"] = (_ => { }, null),
        ["secretKeyRef to an existing Secret"] = (s => AddSecretEnv(Server(s), "HF_TOKEN", "hf-token"), null),
        ["literal HF_TOKEN"] = (s => AddEnv(Server(s), "HF_TOKEN", "not-a-known-format-but-secret"), null),
        ["literal password"] = (s => AddEnv(Server(s), "DB_PASSWORD", Password), null),
        ["numeric password"] = (s => AddEnv(Server(s), "DB_PASSWORD", "123456"), null),
        ["key format under an innocent name"] = (s => AddEnv(Server(s), "MODEL_CONFIG", HuggingFaceToken), null),
        ["key format in an init container"] = (s => Pod(s).InitContainers = [WithEnv(Container("fetch-weights"), "OPENAI_API_KEY", OpenAiKey)], null),
        ["--api-key=literal flag"] = (s => Server(s).Args = ["--model", "/models/scorer", "--api-key=" + Password], null),
        ["--token literal in the next arg"] = (s => Server(s).Args = ["--token", Password], null),
        ["key format in command"] = (s => Server(s).Command = ["sh", "-c", "serve --key " + OpenAiKey], null),
        ["flag taking $(VAR) from a Secret env"] = (s => { AddSecretEnv(Server(s), "HF_TOKEN", "hf-token"); Server(s).Args = ["--token", "$(HF_TOKEN)"]; }, null),
        ["literal allowed by the profile"] = (s => AddEnv(Server(s), "HF_TOKEN", Password), p => p.Secrets.ForbidLiteralCredentials = false),
        ["secretKeyRef to a missing Secret"] = (s => AddSecretEnv(Server(s), "HF_TOKEN", "gone"), null),
        ["optional secretKeyRef to a missing Secret"] = (s => AddSecretEnv(Server(s), "HF_TOKEN", "gone", optional: true), null),
        ["envFrom a missing Secret"] = (s => Server(s).EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "gone" } }], null),
        ["secret volume of a missing Secret"] = (s => Pod(s).Volumes = [new V1Volume { Name = "keys", Secret = new V1SecretVolumeSource { SecretName = "gone" } }], null),
        ["optional secret volume of a missing Secret"] = (s => Pod(s).Volumes = [new V1Volume { Name = "keys", Secret = new V1SecretVolumeSource { SecretName = "gone", Optional = true } }], null),
        ["projected secret of a missing Secret"] = (s => Pod(s).Volumes = [Projected(new V1VolumeProjection { Secret = new V1SecretProjection { Name = "gone" } })], null),
        ["projected serviceAccountToken is declared"] = (s => Pod(s).Volumes = [Projected(new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", Audience = "vault" } })], null),
        ["pod automounts a token"] = (s => Pod(s).AutomountServiceAccountToken = true, null),
        ["pod and ServiceAccount leave automount unset"] = (s => { Pod(s).AutomountServiceAccountToken = null; s.ServiceAccount!.AutomountServiceAccountToken = null; }, null),
        ["pod unset, ServiceAccount false"] = (s => Pod(s).AutomountServiceAccountToken = null, null),
        ["pod false wins over ServiceAccount true"] = (s => s.ServiceAccount!.AutomountServiceAccountToken = true, null),
        ["pod true wins over ServiceAccount false"] = (s => Pod(s).AutomountServiceAccountToken = true, null),
        ["token allowed by the profile"] = (s => Pod(s).AutomountServiceAccountToken = true, p => p.Secrets.AllowServiceAccountToken = true),
        ["ConfigMap key named like a credential"] = (s => MountConfigMap(s, "settings"), null),
        ["ConfigMap allowed by the profile"] = (s => MountConfigMap(s, "settings"), p => p.Secrets.ForbidSecretsInConfigMaps = false),
        ["ConfigMap by configMapKeyRef"] = (s => (Server(s).Env ??= []).Add(new V1EnvVar { Name = "LOG_LEVEL", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "log_level" } } }), null),
        ["ConfigMap the pods do not use"] = (_ => { }, null),
        ["git clone with $VAR as the URL password"] = (s => Server(s).Command = ["sh", "-c", "git clone https://oauth2:$HUGGING_FACE_HUB_TOKEN@huggingface.co/acme/scorer /models"], null),
        ["${VAR} as the URL password"] = (s => Server(s).Args = ["--source=https://oauth2:${HF_TOKEN}@huggingface.co/acme/scorer"], null),
        ["$(VAR) as the URL password"] = (s => Server(s).Args = ["--source", "https://oauth2:$(HF_TOKEN)@huggingface.co/acme/scorer"], null),
        ["literal password in a git URL"] = (s => Server(s).Command = ["sh", "-c", "git clone https://oauth2:" + Password + "@huggingface.co/acme/scorer /models"], null),
        ["--token $VAR"] = (s => Server(s).Args = ["--token", "$HF_TOKEN"], null),
        ["OpenAI key in a probe header"] = (s => Server(s).ReadinessProbe = HttpProbe(("Authorization", "Bearer " + OpenAiKey)), null),
        ["literal Authorization header in a probe"] = (s => Server(s).LivenessProbe = HttpProbe(("Authorization", "Bearer " + Password)), null),
        ["ordinary probe header"] = (s => Server(s).StartupProbe = HttpProbe(("Accept", "application/json")), null),
        ["hf_ token in a postStart hook"] = (s => Server(s).Lifecycle = new V1Lifecycle { PostStart = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["huggingface-cli", "login", "--token", HuggingFaceToken] } } }, null),
        ["X-Api-Key literal in a preStop httpGet"] = (s => Server(s).Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Port = 8080, HttpHeaders = [new V1HTTPHeader { Name = "X-Api-Key", Value = Password }] } } }, null),
        ["probe exec command with $(VAR)"] = (s => Server(s).LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["check", "--api-key", "$(API_KEY)"] } }, null),
        ["NVIDIA key in args"] = (s => Server(s).Args = ["--nim-key", NvidiaKey], null),
        ["Groq key under a neutral name"] = (s => AddEnv(Server(s), "LLM_BACKEND_CONFIG", GroqKey), null),
        ["pull secret that exists"] = (s => Pod(s).ImagePullSecrets = [new V1LocalObjectReference { Name = "hf-token" }], null),
        ["pull secret missing, the namespace's Secrets known"] = (s => Pod(s).ImagePullSecrets = [new V1LocalObjectReference { Name = "regcred" }], null),
        ["pull secret missing, no Secret of the namespace known"] = (s => { Pod(s).ImagePullSecrets = [new V1LocalObjectReference { Name = "regcred" }]; }, null),
        ["ServiceAccount's pull secret missing"] = (s => s.ServiceAccount!.ImagePullSecrets = [new V1LocalObjectReference { Name = "regcred" }], null),
    };

    [Theory]
    [InlineData("compliant", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "the builders' pod has no credentials and mounts no token")]
    [InlineData("secretKeyRef to an existing Secret", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "a reference to an existing Secret is the way to pass a credential")]
    [InlineData("literal HF_TOKEN", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a credential-named variable with a literal value")]
    [InlineData("literal password", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "PASSWORD names a credential")]
    [InlineData("numeric password", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a number is a weak password, still a password")]
    [InlineData("key format under an innocent name", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a Hugging Face token is caught by its format whatever the name")]
    [InlineData("key format in an init container", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "init containers are checked too")]
    [InlineData("--api-key=literal flag", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a credential flag with an inline value")]
    [InlineData("--token literal in the next arg", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a credential flag followed by its value")]
    [InlineData("key format in command", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a key inside a shell command line")]
    [InlineData("flag taking $(VAR) from a Secret env", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "$(VAR) expands a Secret-backed variable, not a literal")]
    [InlineData("literal allowed by the profile", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "forbidLiteralCredentials: false turns the literal check off")]
    [InlineData("secretKeyRef to a missing Secret", ControlResult.NotMet, SecretsHandlingControl.SecretNotFoundReason, "the pod would not start")]
    [InlineData("optional secretKeyRef to a missing Secret", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "optional: true tolerates a missing Secret")]
    [InlineData("envFrom a missing Secret", ControlResult.NotMet, SecretsHandlingControl.SecretNotFoundReason, "envFrom secretRef is a reference too")]
    [InlineData("secret volume of a missing Secret", ControlResult.NotMet, SecretsHandlingControl.SecretNotFoundReason, "secret volumes are references")]
    [InlineData("optional secret volume of a missing Secret", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "an optional secret volume may be missing")]
    [InlineData("projected secret of a missing Secret", ControlResult.NotMet, SecretsHandlingControl.SecretNotFoundReason, "projected secret sources are references")]
    [InlineData("projected serviceAccountToken is declared", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "a projected, audience-bound token is declared, not automounted")]
    [InlineData("pod automounts a token", ControlResult.NotMet, SecretsHandlingControl.ServiceAccountTokenMountedReason, "automountServiceAccountToken: true on the pod")]
    [InlineData("pod and ServiceAccount leave automount unset", ControlResult.NotMet, SecretsHandlingControl.ServiceAccountTokenMountedReason, "Kubernetes mounts a token by default")]
    [InlineData("pod unset, ServiceAccount false", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "the ServiceAccount's false applies when the pod says nothing")]
    [InlineData("pod false wins over ServiceAccount true", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "the pod's setting takes precedence")]
    [InlineData("pod true wins over ServiceAccount false", ControlResult.NotMet, SecretsHandlingControl.ServiceAccountTokenMountedReason, "the pod's setting takes precedence")]
    [InlineData("token allowed by the profile", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "allowServiceAccountToken: true")]
    [InlineData("ConfigMap key named like a credential", ControlResult.NotMet, SecretsHandlingControl.SecretInConfigMapReason, "api_key and a PEM key in a mounted ConfigMap")]
    [InlineData("ConfigMap allowed by the profile", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "forbidSecretsInConfigMaps: false")]
    [InlineData("ConfigMap by configMapKeyRef", ControlResult.NotMet, SecretsHandlingControl.SecretInConfigMapReason, "using one key still exposes a ConfigMap holding credentials")]
    [InlineData("ConfigMap the pods do not use", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "an unused ConfigMap is not the pods' concern")]
    [InlineData("git clone with $VAR as the URL password", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "the shell fills the password from a Secret-backed variable")]
    [InlineData("${VAR} as the URL password", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "a braced shell variable is a reference too")]
    [InlineData("$(VAR) as the URL password", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "Kubernetes expands $(VAR) in args")]
    [InlineData("literal password in a git URL", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a written password in a URL")]
    [InlineData("--token $VAR", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "a flag given a shell variable")]
    [InlineData("OpenAI key in a probe header", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a real sk-proj- key in a readiness probe's httpHeaders")]
    [InlineData("literal Authorization header in a probe", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a bearer credential written in a liveness probe")]
    [InlineData("ordinary probe header", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "an Accept header holds nothing secret")]
    [InlineData("hf_ token in a postStart hook", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "lifecycle hooks run commands too")]
    [InlineData("X-Api-Key literal in a preStop httpGet", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a credential header of a lifecycle hook")]
    [InlineData("probe exec command with $(VAR)", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "an exec probe may take a Secret-backed variable")]
    [InlineData("NVIDIA key in args", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "an nvapi- key under a flag name that says nothing")]
    [InlineData("Groq key under a neutral name", ControlResult.NotMet, SecretsHandlingControl.LiteralCredentialReason, "a gsk_ key found by its format")]
    [InlineData("pull secret that exists", ControlResult.Met, SecretsHandlingControl.ProtectedReason, "the pull secret is there")]
    [InlineData("pull secret missing, the namespace's Secrets known", ControlResult.NotMet, SecretsHandlingControl.SecretNotFoundReason, "private images could not be pulled")]
    [InlineData("pull secret missing, no Secret of the namespace known", ControlResult.Unknown, SecretsHandlingControl.PullSecretNotCheckedReason, "offline input without the namespace's Secrets cannot tell")]
    [InlineData("ServiceAccount's pull secret missing", ControlResult.NotMet, SecretsHandlingControl.SecretNotFoundReason, "the API server copies the ServiceAccount's pull secrets to the pod")]
    public void Judges_how_credentials_reach_the_pods(string name, ControlResult result, string reason, string why)
    {
        var snapshot = Snapshot() with
        {
            SecretsListed = !name.Contains("no Secret of the namespace known", StringComparison.Ordinal),
            Secrets = [Secret("hf-token")],
            ConfigMaps = [ConfigMap("settings", ("log_level", "info"), ("api_key", Password), ("signing.pem", PemKey))],
        };
        var (change, profile) = Cases[name];
        change(snapshot);

        var outcome = Evaluate(Control, snapshot, profile);

        Assert.True((result, reason) == (outcome.Result, outcome.Reason), $"{name} ({why}): got {outcome.Result} {outcome.Reason}: {outcome.Message}");
    }

    [Theory]
    [InlineData("HF_TOKEN", HuggingFaceToken, "hf_", "container server: env HF_TOKEN holds a Hugging Face token")]
    [InlineData("OPENAI_API_KEY", OpenAiKey, "sk-proj-", "container server: env OPENAI_API_KEY holds an OpenAI API key")]
    [InlineData("DB_PASSWORD", Password, "", "container server: env DB_PASSWORD holds a literal credential")]
    [InlineData("TLS_KEY", PemKey, "-----BEGIN PRIVATE KEY-----\n", "container server: env TLS_KEY holds a PEM private key")]
    [InlineData("DATABASE_URL", "postgres://scorer:" + Password + "@db:5432/features", "postgres://scorer:", "container server: env DATABASE_URL holds a URL with a password")]
    public void Message_names_container_and_variable_but_never_the_value(string variable, string value, string knownPrefix, string expected)
    {
        var snapshot = Snapshot();
        AddEnv(Server(snapshot), variable, value);

        var message = Evaluate(Control, snapshot).Message;

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        var secretPart = value[knownPrefix.Length..];
        for (var i = 0; i + 5 <= secretPart.Length; i++)
        {
            Assert.DoesNotContain(secretPart.Substring(i, 5), message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Header_findings_name_the_probe_and_header_but_not_the_value()
    {
        var snapshot = Snapshot();
        Server(snapshot).ReadinessProbe = HttpProbe(("Accept", "application/json"), ("Authorization", "Bearer " + OpenAiKey));

        var message = Evaluate(Control, snapshot).Message;

        Assert.StartsWith("container server: readinessProbe.httpGet.httpHeaders[1] (Authorization) holds an OpenAI API key; ", message, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAiKey[8..], message, StringComparison.Ordinal);
    }

    [Fact]
    public void Args_findings_name_the_index_and_flag_but_not_the_value()
    {
        var snapshot = Snapshot();
        Server(snapshot).Args = ["--model", "/models/scorer", "--api-key=" + Password, "--token", Password];

        var message = Evaluate(Control, snapshot).Message;

        Assert.Equal(
            "container server: args[2] gives --api-key a literal credential; pass it from a Secret through an env variable (valueFrom.secretKeyRef) and $(VAR) in args; "
            + "container server: args[4] gives --token a literal credential; pass it from a Secret through an env variable (valueFrom.secretKeyRef) and $(VAR) in args",
            message);
        Assert.DoesNotContain(Password[..5], message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigMap_findings_name_the_map_and_key_sorted_and_never_the_value()
    {
        var snapshot = Snapshot() with { ConfigMaps = [ConfigMap("settings", ("signing.pem", PemKey), ("api_key", Password), ("max_tokens", "512"))] };
        MountConfigMap(snapshot, "settings");

        var message = Evaluate(Control, snapshot).Message;

        Assert.Equal("ConfigMap ml/settings: key api_key holds a credential; move it to a Secret; ConfigMap ml/settings: key signing.pem holds a PEM private key; move it to a Secret", message);
    }

    [Theory]
    [InlineData("max_tokens", "512", false, "an ordinary setting")]
    [InlineData("api_key", "", false, "an empty value holds nothing")]
    [InlineData("api_key", Password, true, "a credential-named key with a literal value")]
    [InlineData("api_key", "$(API_KEY)", false, "a reference to a variable is not a literal")]
    [InlineData("config.yaml", PemKey, true, "a PEM key under any name")]
    [InlineData("notes", "token rotation happens monthly", false, "prose about credentials")]
    public void MayHoldCredential_keeps_exactly_the_entries_that_can_be_reported(string key, string value, bool kept, string why)
    {
        Assert.True(kept == SecretsHandlingControl.MayHoldCredential(key, value), why);

        // Whatever the predicate drops, the verdict on the ConfigMap stays the same: this is what lets a cache trim.
        var whole = Snapshot() with { ConfigMaps = [ConfigMap("settings", (key, value), ("db_password", Password), ("log_level", "debug"))] };
        MountConfigMap(whole, "settings");
        var entries = whole.ConfigMaps[0].Data.Where(e => SecretsHandlingControl.MayHoldCredential(e.Key, e.Value)).Select(e => (e.Key, e.Value)).ToArray();
        var trimmed = whole with { ConfigMaps = [ConfigMap("settings", entries)] };

        var (before, after) = (Evaluate(Control, whole), Evaluate(Control, trimmed));

        Assert.Equal((before.Result, before.Reason, before.Message), (after.Result, after.Reason, after.Message));
    }

    [Theory]
    [InlineData(null, "neither the pod spec nor ServiceAccount ml/scorer sets automountServiceAccountToken: false", "unset on both: the default mounts a token")]
    [InlineData(true, "ServiceAccount ml/scorer sets automountServiceAccountToken: true and the pod spec does not override it", "explicitly true on the ServiceAccount: that is the cause, not an unset field")]
    public void Token_message_names_the_setting_that_mounts_it(bool? onServiceAccount, string expected, string why)
    {
        var snapshot = Snapshot();
        Pod(snapshot).AutomountServiceAccountToken = null;
        snapshot.ServiceAccount!.AutomountServiceAccountToken = onServiceAccount;

        var message = Evaluate(Control, snapshot).Message;

        Assert.True(message.Contains(expected, StringComparison.Ordinal), $"{why}: {message}");
    }

    [Fact]
    public void Missing_secret_message_names_where_it_is_referenced_and_the_fix()
    {
        var snapshot = Snapshot();
        AddSecretEnv(Server(snapshot), "HF_TOKEN", "hf-token");

        var outcome = Evaluate(Control, snapshot);

        Assert.Equal("container server: env HF_TOKEN references Secret ml/hf-token, which does not exist; create it, fix the name, or mark the reference optional", outcome.Message);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "4096", "a generation limit, counted in model tokens")]
    [InlineData("MAX_NEW_TOKENS", "512", "a generation limit")]
    [InlineData("TOKENS_PER_SECOND", "40", "a throughput figure")]
    [InlineData("TOKENIZER_PATH", "/models/scorer/tokenizer.json", "a tokenizer file")]
    [InlineData("TOKENIZER", "meta-llama/Llama-3.1-8B", "a tokenizer name")]
    [InlineData("EOS_TOKEN", "</s>", "a special token of the vocabulary")]
    [InlineData("PAD_TOKEN", "<pad>", "a special token of the vocabulary")]
    [InlineData("MAX_TOKEN_LENGTH", "8192", "a length")]
    [InlineData("PROMPT_TOKEN_BUDGET", "2000", "a budget of model tokens")]
    [InlineData("HF_TOKEN_PATH", "/var/run/secrets/hf/token", "points at a mounted Secret")]
    [InlineData("PASSWORD_FILE", "/run/secrets/db-password", "the _FILE convention points at a mounted file")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json", "a path to a mounted key file")]
    [InlineData("SECRET_NAME", "hf-token", "names a Secret, holds no credential")]
    [InlineData("AWS_ACCESS_KEY_ID", "scorer-reader", "an identifier, not a secret")]
    [InlineData("HF_TOKEN", "$(HUB_TOKEN)", "expands another variable")]
    [InlineData("ENABLE_API_KEY_AUTH", "true", "a switch about credentials, not one")]
    [InlineData("API_KEY_REQUIRED", "false", "a switch about credentials, not one")]
    [InlineData("AWS_SECRETS_MANAGER_REGION", "eu-west-1", "where secrets live, not a secret")]
    [InlineData("JWT_SECRET_ALGORITHM", "HS256", "an algorithm name")]
    public void Model_settings_that_mention_tokens_are_not_credentials(string variable, string value, string why)
    {
        var snapshot = Snapshot();
        AddEnv(Server(snapshot), variable, value);
        Server(snapshot).Args = ["--max-tokens", "512", "--tokenizer", "/models/tok", "--max-model-len=8192"];

        var outcome = Evaluate(Control, snapshot);

        Assert.True(outcome.Result == ControlResult.Met, $"{variable} ({why}): {outcome.Message}");
    }

    [Theory]
    [InlineData("HF_TOKEN", true, "Hugging Face hub token")]
    [InlineData("HUGGING_FACE_HUB_TOKEN", true, "Hugging Face hub token, long name")]
    [InlineData("hfToken", true, "camelCase")]
    [InlineData("ACCESS_TOKEN", true, "OAuth access token")]
    [InlineData("REFRESH_TOKEN", true, "OAuth refresh token")]
    [InlineData("AUTHTOKEN", true, "one word ending in TOKEN")]
    [InlineData("OPENAI_API_KEY", true, "*_API_KEY")]
    [InlineData("x-api-key", true, "header-style")]
    [InlineData("MYAPIKEY", true, "*APIKEY*")]
    [InlineData("AWS_SECRET_ACCESS_KEY", true, "AWS secret")]
    [InlineData("DB_PASSWD", true, "*PASSWD*")]
    [InlineData("SSH_PRIVATE_KEY", true, "*PRIVATE_KEY*")]
    [InlineData("AZURE_CREDENTIALS", true, "*CREDENTIAL*")]
    [InlineData("MINIO_ACCESS_KEY", true, "object store access key")]
    [InlineData("MAX_TOKENS", false, "model tokens")]
    [InlineData("BOS_TOKEN", false, "special token")]
    [InlineData("TOKEN_ID", false, "a token id of the vocabulary")]
    [InlineData("NUM_TOKEN", false, "a count")]
    [InlineData("MODEL_NAME", false, "nothing secret")]
    [InlineData("KEY", false, "too vague on its own")]
    public void Credential_names_are_recognised_by_their_words(string name, bool credential, string why)
    {
        Assert.True(CredentialPatterns.IsCredentialName(name) == credential, $"{name}: {why}");
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "an AWS access key")]
    [InlineData("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "a GitHub token")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "a GitHub token")]
    [InlineData("xoxb-1234567890-abcdefghij", "a Slack token")]
    [InlineData("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "a Google API key")]
    [InlineData("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "an Anthropic API key")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzY29yZXIifQ.c2lnbmF0dXJl", "a JSON Web Token")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----", "a PEM private key")]
    [InlineData(NvidiaKey, "an NVIDIA API key")]
    [InlineData(GroqKey, "a Groq API key")]
    [InlineData("r8_Y5eV3cyEw61yReJHrfYYA1Q79vFSECc5D8QK0", "a Replicate API token")]
    [InlineData("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", "a Perplexity API key")]
    [InlineData("xai-35YA5q6WnY6hAJQPfgVU6PrlUfUAmWsOV7D2Lp3gu8G1ukZV352IVGUVdvnjnek6HZ7ylAGy2Jtpd1Kp", "an xAI API key")]
    [InlineData("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", "an OpenRouter API key")]
    [InlineData("fw_myQYdzcZsogwHKq9Uc6eVtkd", "a Fireworks AI API key")]
    [InlineData("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", "a LangSmith API key")]
    [InlineData("glpat-YVqVGxIfO9rvOkq0ELsh", "a GitLab token")]
    [InlineData("dckr_pat_sTQNPfQf2L1P1zf7XK4hpqN87j2", "a Docker Hub access token")]
    [InlineData("https://oauth2:" + HuggingFaceToken + "@huggingface.co/acme/scorer", "a Hugging Face token")]
    [InlineData("https://oauth2:hunter2-batteries@huggingface.co/acme/scorer", "a URL with a password")]
    public void Well_known_key_formats_are_named(string value, string format)
    {
        Assert.Equal(format, CredentialPatterns.KeyFormatIn(value));
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "a model id")]
    [InlineData("https://huggingface.co/models/scorer", "a URL without userinfo")]
    [InlineData("-----BEGIN PUBLIC KEY-----", "public keys are not secret")]
    [InlineData("sk-learn", "too short to be a key")]
    [InlineData("xai-org/grok-1", "a model id of xAI")]
    [InlineData("pplx-7b-online", "a Perplexity model name")]
    [InlineData("nvapi-reference-docs", "too short to be a key")]
    [InlineData("r8_model_cache", "a directory name")]
    [InlineData("fw_version=2", "a setting")]
    [InlineData("gsk_ready", "too short to be a key")]
    [InlineData("/var/cache/glpat-runner", "a path")]
    [InlineData("https://oauth2:$HUGGING_FACE_HUB_TOKEN@huggingface.co/acme/scorer", "$VAR filled in by the shell")]
    [InlineData("https://${GIT_USER}:${GIT_PASSWORD}@github.com/acme/scorer", "${VAR} filled in by the shell")]
    [InlineData("https://oauth2:$(HF_TOKEN)@huggingface.co/acme/scorer", "$(VAR) filled in by Kubernetes")]
    [InlineData("nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3", "a NIM image")]
    public void Ordinary_values_match_no_key_format(string value, string why)
    {
        Assert.True(CredentialPatterns.KeyFormatIn(value) is null, why);
    }

    [Fact]
    public void Retired_model_pods_are_not_judged()
    {
        var outcome = Evaluate(Control, Snapshot(Deployment(LifecycleStage.Retirement)));

        Assert.Equal(ControlResult.NotApplicable, outcome.Result);
    }

    private static V1Container WithEnv(V1Container container, string name, string value)
    {
        AddEnv(container, name, value);
        return container;
    }

    private static V1Probe HttpProbe(params (string Name, string Value)[] headers) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = "/health", Port = 8080, HttpHeaders = [.. headers.Select(h => new V1HTTPHeader { Name = h.Name, Value = h.Value })] },
    };

    private static V1Volume Projected(V1VolumeProjection source) =>
        new() { Name = "projected", Projected = new V1ProjectedVolumeSource { Sources = [source] } };
}
