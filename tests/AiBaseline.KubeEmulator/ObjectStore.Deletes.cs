using System.Globalization;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>Deletion: finalizers hold objects, namespaces empty themselves, CRDs take their custom resources along.</summary>
internal sealed partial class ObjectStore
{
    public StoredObject Delete(ResourceType type, string ns, string name, JsonObject? deleteOptions, bool dryRun = false)
    {
        lock (_gate)
        {
            var old = Find(type, ns, name) ?? throw ApiError.NotFound(type, name);
            var preconditions = deleteOptions?["preconditions"];
            if ((preconditions?["resourceVersion"]?.GetValue<string>() is string rv && rv != Version(old))
                || (preconditions?["uid"]?.GetValue<string>() is string uid && uid != old.Node["metadata"]!["uid"]!.GetValue<string>()))
            {
                throw ApiError.Conflict(type, name);
            }

            return dryRun ? old : DeleteLocked(old);
        }
    }

    private StoredObject DeleteLocked(StoredObject old)
    {
        if (old.Type.Kind == "Namespace")
        {
            return DeleteNamespace(old);
        }

        if (!HasFinalizers(old.Node))
        {
            return Remove(old, old.Copy());
        }

        if (old.Node["metadata"]!["deletionTimestamp"] is not null)
        {
            return old;
        }

        var marked = old.Copy();
        marked["metadata"]!["deletionTimestamp"] = Timestamp();
        marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
        return Commit(marked, old.Type, "MODIFIED", old);
    }

    private StoredObject DeleteNamespace(StoredObject ns)
    {
        var current = ns;
        if (ns.Node["metadata"]!["deletionTimestamp"] is null)
        {
            var marked = ns.Copy();
            marked["metadata"]!["deletionTimestamp"] = Timestamp();
            marked["status"] = new JsonObject { ["phase"] = "Terminating" };
            current = Commit(marked, ns.Type, "MODIFIED", ns);
        }

        var contents = _tables.Values
            .SelectMany(byNamespace => byNamespace.TryGetValue(ns.Name, out var byName) ? byName.Values : Enumerable.Empty<StoredObject>())
            .ToList();
        foreach (var obj in contents)
        {
            DeleteLocked(obj);
        }

        if (Find(ns.Type, "", ns.Name) is { } still && !_tables.Values.Any(byNamespace => byNamespace.ContainsKey(ns.Name)))
        {
            return Remove(still, still.Copy());
        }

        return Find(ns.Type, "", ns.Name) ?? current;
    }

    /// <summary>Removes an object for good; a terminating namespace goes too once it is empty.</summary>
    private StoredObject Remove(StoredObject old, JsonObject last)
    {
        Evict(old);
        last["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
        var gone = new StoredObject(old.Type, last);
        hub.Publish(new ChangeEvent("DELETED", gone, old));
        if (old.Type.Kind == "CustomResourceDefinition")
        {
            RemoveCustomResources(old);
        }

        // Background cascading deletion, as the garbage collector does once an owner is gone.
        if (_dependents.Remove(old.Uid, out var dependents))
        {
            foreach (var (type, scope, name) in dependents)
            {
                if (Find(type, scope, name) is { } dependent)
                {
                    DeleteLocked(dependent);
                }
            }
        }

        if (old.Namespace.Length > 0
            && Find(registry.Find("", "v1", "namespaces")!, "", old.Namespace) is { } ns
            && ns.Node["metadata"]!["deletionTimestamp"] is not null
            && !_tables.Values.Any(byNamespace => byNamespace.ContainsKey(old.Namespace)))
        {
            Remove(ns, ns.Copy());
        }

        return gone;
    }

    private void RemoveCustomResources(StoredObject crd)
    {
        var types = ResourceRegistry.Describe(crd.Node);
        registry.Unregister(crd.Node);
        if (_tables.TryGetValue(types[0].Name, out var byNamespace))
        {
            foreach (var obj in byNamespace.Values.SelectMany(byName => byName.Values).ToList())
            {
                Remove(obj, obj.Copy());
            }
        }
    }
}
