using System.Text.Json.Nodes;
using AiBaseline.Engine.Inventory;

namespace AiBaseline.Audit;

/// <summary>
/// <c>aibaseline audit --discover</c>: the model servers of the input that no AIModelDeployment of the input declares
/// (EN 304 223 5.2.1-1 asks for a complete inventory of AI assets).
/// </summary>
public static class AuditDiscovery
{
    /// <summary>The undeclared model servers of the input, in input order.</summary>
    public static List<Located<UndeclaredWorkload>> Find(ManifestSet set)
    {
        var declared = set.Deployments
            .Select(d => d.Object)
            .Where(d => d.Spec?.WorkloadRef is { Name.Length: > 0 })
            .Select(d => (d.Spec.WorkloadRef!.Kind, d.Metadata.NamespaceProperty ?? "default", d.Spec.WorkloadRef.Name))
            .ToHashSet();
        var found = WorkloadInventory.Undeclared(
            set.Index.AllWorkloads.Select(w => (w, w.Object.Namespace, w.Object.Workload, w.Object.Owned)),
            (kind, ns, name) => declared.Contains((kind, ns, name)));
        return [.. found.Select(f => new Located<UndeclaredWorkload>(f.Workload, f.Source.File, f.Source.Line))];
    }

    /// <summary>The text report's inventory section.</summary>
    public static void WriteText(IReadOnlyList<Located<UndeclaredWorkload>> undeclared, TextWriter output)
    {
        if (undeclared.Count == 0)
        {
            output.WriteLine("inventory (5.2.1-1): every model server in the input is declared by an AIModelDeployment");
            return;
        }

        output.WriteLine($"inventory (5.2.1-1): {undeclared.Count} model server{(undeclared.Count == 1 ? "" : "s")} without an AIModelDeployment:");
        foreach (var item in undeclared)
        {
            output.WriteLine($"  {item.Object}  ({item.File}:{item.Line}): {item.Object.Why}; declare it with an AIModelDeployment whose workloadRef names it");
        }
    }

    /// <summary>The JSON report's <c>undeclared</c> list.</summary>
    public static JsonArray ToJson(IReadOnlyList<Located<UndeclaredWorkload>> undeclared) =>
        [.. undeclared.Select(u => (JsonNode)new JsonObject
        {
            ["kind"] = u.Object.Kind.ToString(),
            ["namespace"] = u.Object.Namespace,
            ["name"] = u.Object.Name,
            ["why"] = u.Object.Why,
            ["file"] = u.File,
            ["line"] = u.Line,
        })];
}
