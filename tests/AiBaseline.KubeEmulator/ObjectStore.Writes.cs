using System.Globalization;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>How unknown fields in a custom resource are treated (<c>?fieldValidation=</c>).</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>A stored write and the warnings the server attaches to it.</summary>
internal sealed record WriteResult(StoredObject Object, IReadOnlyList<string> Warnings);

internal sealed partial class ObjectStore
{
    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";

    public WriteResult Create(ResourceType type, string ns, JsonObject body, FieldValidation validation, bool dryRun = false)
    {
        lock (_gate)
        {
            _dryRun = dryRun;
            try
            {
                return CreateLocked(type, ns, body, validation);
            }
            finally
            {
                _dryRun = false;
            }
        }
    }

    /// <summary>PUT: replaces the object, or only its status when <paramref name="statusOnly"/>.</summary>
    public WriteResult Replace(ResourceType type, string ns, string name, JsonObject body, bool statusOnly, FieldValidation validation, bool dryRun = false)
    {
        lock (_gate)
        {
            _dryRun = dryRun;
            try
            {
                return ReplaceCheckedLocked(type, ns, name, body, statusOnly, validation);
            }
            finally
            {
                _dryRun = false;
            }
        }
    }

    private WriteResult ReplaceCheckedLocked(ResourceType type, string ns, string name, JsonObject body, bool statusOnly, FieldValidation validation)
    {
        {
            var old = Find(type, ns, name) ?? throw ApiError.NotFound(type, name);

            // Custom resources, unlike most built-ins, refuse unconditional updates: a PUT must carry the version it read.
            if (type.Schema is not null && string.IsNullOrEmpty(body["metadata"]?["resourceVersion"]?.GetValue<string>()))
            {
                throw ApiError.Invalid(type, name, [new SchemaViolation("metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")]);
            }

            return ReplaceLocked(old, body, statusOnly, validation);
        }
    }

    /// <summary>PATCH: applies <paramref name="patch"/> to a copy of the current object (or to nothing for apply).</summary>
    public WriteResult Patch(ResourceType type, string ns, string name, Func<JsonObject, JsonObject> patch, bool statusOnly, bool createIfMissing, FieldValidation validation, bool dryRun = false)
    {
        lock (_gate)
        {
            _dryRun = dryRun;
            try
            {
                return PatchLocked(type, ns, name, patch, statusOnly, createIfMissing, validation);
            }
            finally
            {
                _dryRun = false;
            }
        }
    }

    private WriteResult PatchLocked(ResourceType type, string ns, string name, Func<JsonObject, JsonObject> patch, bool statusOnly, bool createIfMissing, FieldValidation validation)
    {
        {
            var old = Find(type, ns, name);
            if (old is null)
            {
                if (!createIfMissing)
                {
                    throw ApiError.NotFound(type, name);
                }

                var fresh = patch(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
                return CreateLocked(type, ns, fresh, validation);
            }

            return ReplaceLocked(old, patch(old.Copy()), statusOnly, validation);
        }
    }

    private WriteResult CreateLocked(ResourceType type, string ns, JsonObject body, FieldValidation validation)
    {
        if (body["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            body["metadata"] = metadata;
        }

        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
        if (type.Namespaced)
        {
            if (metadata["namespace"]?.GetValue<string>() is { Length: > 0 } given && given != ns)
            {
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
            EnsureNamespaceAccepts(type, ns, metadata["name"]?.GetValue<string>() ?? "");
        }
        else
        {
            metadata.Remove("namespace");
        }

        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var prefix = metadata["generateName"]?.GetValue<string>()
                ?? throw ApiError.Invalid(type, "", [new SchemaViolation("metadata.name", "Required value: name or generateName is required", "FieldValueRequired")]);
            do
            {
                name = prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameChars[Random.Shared.Next(NameChars.Length)])]);
            }
            while (Find(type, ns, name) is not null);
            metadata["name"] = name;
        }

        if (Find(type, ns, name) is not null)
        {
            throw ApiError.AlreadyExists(type, name);
        }

        if (type.HasStatus)
        {
            body.Remove("status");
        }

        if (type.Kind == "Namespace")
        {
            body["status"] = new JsonObject { ["phase"] = "Active" };
            LabelNamespace(metadata, name);
        }

        var warnings = CustomResourceChecks.Apply(type, name, body, validation);
        if (type.Kind == "CustomResourceDefinition")
        {
            ResourceRegistry.Describe(body);
        }

        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion" })
        {
            metadata.Remove(field);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp();
        metadata["generation"] = 1;
        var stored = Commit(body, type, "ADDED", null);
        if (type.Kind == "CustomResourceDefinition" && !_dryRun)
        {
            registry.Register(body);
        }

        return new WriteResult(stored, warnings);
    }

    private WriteResult ReplaceLocked(StoredObject old, JsonObject body, bool statusOnly, FieldValidation validation)
    {
        var type = old.Type;
        var requested = body["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(requested) && requested != Version(old))
        {
            throw ApiError.Conflict(type, old.Name);
        }

        if (body["metadata"]?["name"]?.GetValue<string>() is string bodyName && bodyName != old.Name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({old.Name})");
        }

        var next = old.Copy();
        if (statusOnly)
        {
            next["status"] = body["status"]?.DeepClone();
        }
        else
        {
            var oldMetadata = next["metadata"]!.AsObject();
            if (body["metadata"] is not JsonObject metadata)
            {
                metadata = [];
                body["metadata"] = metadata;
            }

            foreach (var kept in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
            {
                metadata[kept] = oldMetadata[kept]?.DeepClone();
            }

            if (type.HasStatus || type.Kind == "Namespace")
            {
                body["status"] = next["status"]?.DeepClone();
            }

            next = body;
            next["apiVersion"] = type.ApiVersion;
            next["kind"] = type.Kind;
            RemoveNulls(metadata);
            CheckFinalizers(old, metadata);
            if (type.Kind == "Namespace")
            {
                LabelNamespace(metadata, old.Name);
            }
        }

        next["metadata"]!["resourceVersion"] = Version(old);
        if (next["status"] is null)
        {
            next.Remove("status");
        }

        var warnings = CustomResourceChecks.Apply(type, old.Name, next, validation);
        if (type.Schema is not null && CrdTransitionRules.Check(type.Schema, old.Node, next) is { Count: > 0 } broken)
        {
            throw ApiError.Invalid(type, old.Name, broken);
        }

        if (JsonNode.DeepEquals(next, old.Node))
        {
            return new WriteResult(old, warnings);
        }

        if (SpecChanged(type, old.Node, next))
        {
            next["metadata"]!["generation"] = (old.Node["metadata"]!["generation"]?.GetValue<long>() ?? 0) + 1;
        }

        if (type.Kind == "CustomResourceDefinition")
        {
            ResourceRegistry.Describe(next);
            if (!_dryRun)
            {
                registry.Register(next);
            }
        }

        if (next["metadata"]!["deletionTimestamp"] is not null && !HasFinalizers(next) && !_dryRun)
        {
            return new WriteResult(Remove(old, next), warnings);
        }

        return new WriteResult(Commit(next, type, "MODIFIED", old), warnings);
    }

    private StoredObject Commit(JsonObject node, ResourceType type, string change, StoredObject? previous)
    {
        if (_dryRun)
        {
            // A dry run answers what would be stored, at the store's current version, and stores nothing.
            node["metadata"]!["resourceVersion"] = previous is null ? _version.ToString(CultureInfo.InvariantCulture) : Version(previous);
            return new StoredObject(type, node);
        }

        node["metadata"]!["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(type, node);
        Put(stored);
        hub.Publish(new ChangeEvent(change, stored, previous));
        return stored;
    }

    private void EnsureNamespaceAccepts(ResourceType type, string ns, string name)
    {
        var namespaces = registry.Find("", "v1", "namespaces")!;
        var existing = Find(namespaces, "", ns);
        if (existing is null && options.AutoCreateNamespaces)
        {
            CreateLocked(namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, FieldValidation.Ignore);
        }
        else if (existing is null)
        {
            throw ApiError.NotFound(namespaces, ns);
        }
        else if (existing.Node["metadata"]!["deletionTimestamp"] is not null)
        {
            throw ApiError.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private static void CheckFinalizers(StoredObject old, JsonObject metadata)
    {
        if (old.Node["metadata"]!["deletionTimestamp"] is null)
        {
            return;
        }

        var before = Finalizers(old.Node["metadata"]).ToHashSet();
        if (Finalizers(metadata).Any(f => !before.Contains(f)))
        {
            throw ApiError.Invalid(old.Type, old.Name, [new SchemaViolation("metadata.finalizers", "Forbidden: no new finalizers can be added if the object is being deleted", "FieldValueForbidden")]);
        }
    }

    /// <summary>Generation counts spec changes: everything but metadata, and but status where a status subresource exists.</summary>
    private static bool SpecChanged(ResourceType type, JsonObject before, JsonObject after)
    {
        bool Counts(string key) => key is not ("metadata" or "apiVersion" or "kind") && !(key == "status" && (type.HasStatus || type.Kind == "Namespace"));
        var keys = before.Select(p => p.Key).Concat(after.Select(p => p.Key)).Where(Counts).Distinct();
        return keys.Any(k => !JsonNode.DeepEquals(before[k], after[k]));
    }

    /// <summary>The server labels every namespace with its own name, so a namespaceSelector can pick one by name.</summary>
    private static void LabelNamespace(JsonObject metadata, string name)
    {
        if (metadata["labels"] is not JsonObject labels)
        {
            labels = [];
            metadata["labels"] = labels;
        }

        labels["kubernetes.io/metadata.name"] = name;
    }

    private static bool HasFinalizers(JsonObject node) => Finalizers(node["metadata"]).Any();

    private static IEnumerable<string> Finalizers(JsonNode? metadata) =>
        (metadata?["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>()).OfType<string>();

    private static void RemoveNulls(JsonObject obj)
    {
        foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }
    }

    private static string Version(StoredObject obj) => obj.ResourceVersion.ToString(CultureInfo.InvariantCulture);

    private static string Timestamp() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
