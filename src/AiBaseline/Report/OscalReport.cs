using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.Report;

/// <summary>
/// The report as NIST OSCAL Assessment Results 1.1.3 (JSON), for GRC tools that import OSCAL. One result per
/// AIModelDeployment; per provision an observation (what was examined or tested, with the evidence's link) and a
/// finding whose target is the provision (objective <c>etsi-en-304-223_ID</c>). OSCAL knows two states: Met is
/// satisfied (reason pass); NotApplicable is satisfied (reason not-applicable, out of scope); NotMet is not-satisfied
/// (reason fail); Unknown, Attestation and Waived are not-satisfied with reasons unknown, awaiting-evidence and
/// waived, since none of them shows the provision met. Our own result is also a property in our namespace. The
/// verdict history the operator keeps in the status is the result's assessment log, one entry per change. UUIDs are
/// version 5, derived from the report's time and the deployment and provision, so the same report always has the same ones.
/// </summary>
public static class OscalReport
{
    /// <summary>The OSCAL version the document conforms to.</summary>
    public const string OscalVersion = "1.1.3";

    /// <summary>The namespace of our properties.</summary>
    public const string Namespace = "https://aibaseline.io/ns/oscal";

    private static readonly Guid UuidNamespace = new("4d1c3f0e-8a4b-4c7e-9f55-6b0f7a3e2c11");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The OSCAL document as indented JSON.</summary>
    public static string Render(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var h = report.Header;
        var at = Time(h.EvaluatedAt);
        var seed = $"{at}|{h.Source.Kind}|{string.Join(" ", h.Source.Inputs)}";
        var plan = Uuid(seed, "plan");
        var results = new JsonArray();
        foreach (var deployment in report.Deployments)
        {
            results.Add(Result(deployment, seed, at));
        }

        if (results.Count == 0)
        {
            // OSCAL requires at least one result; an empty selection is one result that reviewed nothing.
            results.Add(new JsonObject
            {
                ["uuid"] = Uuid(seed, "empty"),
                ["title"] = "No AIModelDeployment selected",
                ["description"] = "The report's input held no AIModelDeployment that matched the selection.",
                ["start"] = at,
                ["end"] = at,
                ["reviewed-controls"] = Reviewed(),
            });
        }

        var document = new JsonObject
        {
            ["assessment-results"] = new JsonObject
            {
                ["uuid"] = Uuid(seed, "document"),
                ["metadata"] = new JsonObject
                {
                    ["title"] = $"{h.Catalog.Standard} {h.Catalog.Edition} conformity assessment results",
                    ["last-modified"] = at,
                    ["version"] = h.Tool.Version,
                    ["oscal-version"] = OscalVersion,
                    ["props"] = new JsonArray(
                        Prop("tool", $"{h.Tool.Name} {h.Tool.Version}"),
                        Prop("catalog", $"{h.Catalog.Standard} {h.Catalog.Edition}"),
                        Prop("source", $"{h.Source.Kind} {string.Join(" ", h.Source.Inputs)}")),
                },
                ["import-ap"] = new JsonObject
                {
                    ["href"] = $"#{plan}",
                    ["remarks"] = "The plan is the BaselineProfile each deployment names, judged against every provision of the standard; see back-matter.",
                },
                ["results"] = results,
                ["back-matter"] = new JsonObject
                {
                    ["resources"] = new JsonArray(new JsonObject
                    {
                        ["uuid"] = plan,
                        ["title"] = "Assessment plan: BaselineProfiles",
                        ["description"] = string.Join("; ", h.Profiles.Select(p => $"{p.Name} ({p.Origin}) {p.Sha256 ?? "not found"}")) is { Length: > 0 } profiles ? profiles : "no profile",
                        ["props"] = new JsonArray([.. h.Profiles.Where(p => p.Sha256 is not null).Select(p => Prop("profile-sha256", $"{p.Name} {p.Sha256}"))]) is { Count: > 0 } props ? props : null,
                    }),
                },
            },
        };
        RemoveNulls(document);
        return document.ToJsonString(Indented);
    }

    private static JsonObject Result(DeploymentReport d, string seed, string at)
    {
        var id = $"{d.Namespace}/{d.Name}";
        var observations = new JsonArray();
        var findings = new JsonArray();
        foreach (var p in d.Provisions)
        {
            var observation = Uuid(seed, id, p.Id, "observation");
            var decided = Decided(p);
            observations.Add(new JsonObject
            {
                ["uuid"] = observation,
                ["title"] = $"{p.Id} on {id}",
                ["description"] = decided.Length > 0 ? decided : p.Summary,
                ["props"] = new JsonArray(Prop("result", p.Result)),
                ["methods"] = new JsonArray(p.DecidedBy.Controls.Count > 0 ? "TEST" : "EXAMINE"),
                ["types"] = new JsonArray("control-objective"),
                ["relevant-evidence"] = p.DecidedBy.Evidence is { } e
                    ? new JsonArray(new JsonObject
                    {
                        // A reference that is not a URI (a document id with spaces) is named in the description only.
                        ["href"] = e.Uri is { Length: > 0 } uri && !uri.Any(char.IsWhiteSpace) && Uri.TryCreate(uri, UriKind.RelativeOrAbsolute, out _) ? uri : null,
                        ["description"] = $"{e.Type} {e.Uri} dated {e.Date:yyyy-MM-dd}{(e.Digest is null ? "" : $", {e.Digest}")}{(e.ApprovedBy is null ? "" : $", approved by {e.ApprovedBy}")}",
                    })
                    : null,
                ["collected"] = at,
            });
            var (state, reason) = p.Result switch
            {
                "Met" => ("satisfied", "pass"),
                "NotApplicable" => ("satisfied", "not-applicable"),
                "NotMet" => ("not-satisfied", "fail"),
                "Unknown" => ("not-satisfied", "unknown"),
                "Waived" => ("not-satisfied", "waived"),
                _ => ("not-satisfied", "awaiting-evidence"),
            };
            findings.Add(new JsonObject
            {
                ["uuid"] = Uuid(seed, id, p.Id, "finding"),
                ["title"] = $"{p.Id} ({p.Obligation}): {Label(p.Result)}",
                ["description"] = p.Summary,
                ["props"] = new JsonArray(Prop("result", p.Result), Prop("obligation", p.Obligation), Prop("principle", p.Principle.ToString(CultureInfo.InvariantCulture))),
                ["target"] = new JsonObject
                {
                    ["type"] = "objective-id",
                    ["target-id"] = $"etsi-en-304-223_{p.Id}",
                    ["status"] = new JsonObject
                    {
                        ["state"] = state,
                        ["reason"] = reason,
                        ["remarks"] = p.Reason ?? p.Fix,
                    },
                },
                ["related-observations"] = new JsonArray(new JsonObject { ["observation-uuid"] = observation }),
                ["remarks"] = p.Fix is null ? null : $"Fix: {p.Fix}",
            });
        }

        var props = new JsonArray(
            Prop("verdict", d.Verdicts.Standard),
            Prop("ready", d.Verdicts.Ready),
            Prop("compliance", d.Verdicts.Compliance),
            Prop("profile", $"{d.Profile.Name} {d.Profile.Sha256 ?? "not found"}"));
        if (d.Stage is not null)
        {
            props.Add(Prop("stage", d.Stage));
        }

        foreach (var image in d.Subject.Images)
        {
            props.Add(Prop("image", image.Digest is null ? image.Image : $"{image.Image} {image.Digest}"));
        }

        foreach (var model in d.Subject.Models)
        {
            props.Add(Prop("model", $"{model.Name} {model.Source} {model.Digest ?? "no digest"}"));
        }

        return new JsonObject
        {
            ["uuid"] = Uuid(seed, id, "result"),
            ["title"] = $"AIModelDeployment {id}",
            ["description"] = $"{id}: EN 304 223 {d.Verdicts.Standard}; Ready {d.Verdicts.Ready}; from {d.Origin}",
            ["start"] = at,
            ["end"] = at,
            ["props"] = props,
            ["reviewed-controls"] = Reviewed(),
            ["assessment-log"] = d.History.Count > 0 ? new JsonObject { ["entries"] = Log(d, seed, id) } : null,
            ["observations"] = observations.Count > 0 ? observations : null,
            ["findings"] = findings.Count > 0 ? findings : null,
        };
    }

    // The verdict history as assessment events, oldest first: each a point in time (start = end) when the verdict changed.
    private static JsonArray Log(DeploymentReport d, string seed, string id)
    {
        var entries = new JsonArray();
        foreach (var change in d.History)
        {
            var at = Time(change.At);
            var changed = change.Provisions.Select(p => $"{string.Join(", ", p.Ids)}: {(p.Was is null ? "" : $"{Label(p.Was)} to ")}{Label(p.Result)}{(p.Reason is null ? "" : $" ({p.Reason})")}").ToList();
            if (change.More is { } more)
            {
                changed.Add($"and {more} more");
            }

            var props = new JsonArray(Prop("verdict", change.Verdict), Prop("ready", change.Ready));
            entries.Add(new JsonObject
            {
                ["uuid"] = Uuid(seed, id, "log", at, change.Verdict, change.Ready),
                ["title"] = $"Verdict {change.Verdict}, Ready {change.Ready}",
                ["description"] = changed.Count > 0 ? $"Provisions that changed: {string.Join("; ", changed)}" : "No provision changed result.",
                ["start"] = at,
                ["end"] = at,
                ["props"] = props,
            });
        }

        return entries;
    }

    private static JsonObject Reviewed() => new()
    {
        ["description"] = "Every provision of ETSI EN 304 223",
        ["control-selections"] = new JsonArray(new JsonObject { ["include-all"] = new JsonObject() }),
    };

    private static string Decided(ProvisionReport p)
    {
        var parts = p.DecidedBy.Controls.Select(c => $"{c.Name} {c.Result}{(c.Reason.Length == 0 ? "" : $" ({c.Reason})")}: {c.Message}").ToList();
        if (p.DecidedBy.Evidence is { } e)
        {
            parts.Add($"{e.Type} {e.Uri} {e.Date:yyyy-MM-dd}");
        }

        if (p.DecidedBy.Waiver is { } w)
        {
            parts.Add($"waived by BaselineException {w.Name}{(w.ApprovedBy is null ? "" : $", approved by {w.ApprovedBy}")}{(w.Ticket is null ? "" : $", ticket {w.Ticket}")}{(w.ExpiresAt is { } x ? $", until {x.UtcDateTime:yyyy-MM-dd}" : "")}");
        }

        return string.Join("; ", parts);
    }

    private static string Label(string result) => result switch
    {
        "NotMet" => "not met",
        "Attestation" => "awaiting evidence",
        "NotApplicable" => "not applicable",
        _ => result.ToLowerInvariant(),
    };

    private static JsonObject Prop(string name, string value) => new() { ["name"] = name, ["ns"] = Namespace, ["value"] = value };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // RFC 4122 version 5: SHA-1 of our namespace and the name, with the version and variant bits set.
    private static string Uuid(params string[] name)
    {
        var space = UuidNamespace.ToByteArray(bigEndian: true);
#pragma warning disable CA5350 // RFC 4122 defines version 5 with SHA-1; it names objects, it protects nothing.
        var hash = SHA1.HashData([.. space, .. Encoding.UTF8.GetBytes(string.Join("|", name))]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private static void RemoveNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    RemoveNulls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RemoveNulls(item);
                }

                break;
        }
    }
}
