using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>A resource path: <c>/api/v1/namespaces/ns/pods/name/status</c> and its cluster-scoped and collection forms.</summary>
internal sealed record ResourcePath(ResourceType Type, string Namespace, string Name, string Subresource);

/// <summary>Turns HTTP requests into store calls, applies injected faults and records every call.</summary>
internal sealed class ApiRouter(ObjectStore store, ResourceRegistry registry, EmulatorFaults faults, RequestLog log, KubeEmulatorOptions options)
{
    private readonly ValidatingWebhooks webhooks = new(store);

    public async Task Handle(HttpContext context)
    {
        var segments = context.Request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method == "GET" && AggregatedDiscovery.Requested(segments, context.Request) is { } discoveryVersion)
        {
            await ResponseWriter.Typed(context, AggregatedDiscovery.ContentType(discoveryVersion), AggregatedDiscovery.Answer(segments, discoveryVersion, registry));
            return;
        }

        if ((Discovery.Owns(segments) || OpenApiDocuments.Owns(segments)) && context.Request.Method == "GET")
        {
            var document = OpenApiDocuments.Owns(segments)
                ? OpenApiDocuments.Answer(segments, registry)
                : Discovery.Answer(segments, registry, context.Request.Host.Value ?? "");
            await (document is null ? Fail(context, NotServed()) : ResponseWriter.Json(context, 200, document));
            return;
        }

        ResourcePath path;
        try
        {
            path = Parse(segments) ?? throw NotServed();
        }
        catch (ApiError error)
        {
            await Fail(context, error);
            return;
        }

        var query = context.Request.Query;
        var verb = Verb(context.Request.Method, path, query);
        var resource = path.Subresource.Length == 0 ? path.Type.Name : $"{path.Type.Name}/{path.Subresource}";
        if (faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(faults.Latency, context.RequestAborted);
        }

        // A watch is counted when it opens, so a test can see it while it is still streaming.
        if (verb == "watch")
        {
            log.Record(new ApiCall(verb, resource, path.Namespace, path.Name, 200));
        }

        var status = 200;
        var spared = context.Request.Headers.ContainsKey(EmulatorFaults.SpareHeader);
        try
        {
            if (verb != "watch" && !spared && faults.NextError() is int code)
            {
                throw Injected(code, context);
            }

            if (verb is "update" or "patch" && !spared && faults.NextConflict())
            {
                throw ApiError.Conflict(path.Type, path.Name);
            }

            await Dispatch(context, verb, path);
            status = context.Response.StatusCode;
        }
        catch (ApiError error)
        {
            status = error.Code;
            await Fail(context, error);
        }
        catch (WebhookDenial denial)
        {
            status = denial.Error.Code;
            await ResponseWriter.Json(context, denial.Error.Code, denial.Error.ToStatus(), denial.Warnings);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug in the emulator must reach the test as a readable 500, as a real server's panic handler answers.
            status = 500;
            await Fail(context, new ApiError(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}"));
        }
        finally
        {
            if (verb != "watch")
            {
                log.Record(new ApiCall(verb, resource, path.Namespace, path.Name, status));
            }
        }
    }

    private async Task Dispatch(HttpContext context, string verb, ResourcePath path)
    {
        var query = context.Request.Query;
        var metadataOnly = ResponseWriter.WantsMetadataOnly(context.Request);
        var validation = query["fieldValidation"].ToString() switch
        {
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            _ => FieldValidation.Warn,
        };
        var statusOnly = path.Subresource == "status";
        var table = statusOnly ? null : TableRequest.From(context.Request);
        switch (verb)
        {
            case "get" when table is not null:
                var row = store.Get(path.Type, path.Namespace, path.Name);
                var version = row.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                await ResponseWriter.Typed(context, table.ContentType, TableConverter.Convert(path.Type, [row], version, null, table, DateTimeOffset.UtcNow));
                break;
            case "get":
                await ResponseWriter.Object(context, 200, store.Get(path.Type, path.Namespace, path.Name), metadataOnly);
                break;
            case "list":
                if (query["resourceVersionMatch"] == "Exact" && ObjectStore.ParseVersion(query["resourceVersion"].ToString()) != store.ResourceVersion)
                {
                    throw ApiError.Gone(ObjectStore.ParseVersion(query["resourceVersion"].ToString()), store.ResourceVersion);
                }

                var page = store.List(path.Type, path.Namespace, SelectorOf(query), IntOf(query, "limit"), query["continue"]);
                await (table is null
                    ? ResponseWriter.List(context, path.Type, page, metadataOnly)
                    : ResponseWriter.Typed(context, table.ContentType, TableConverter.Convert(path.Type, page.Items, page.ResourceVersion.ToString(CultureInfo.InvariantCulture), page.Continue, table, DateTimeOffset.UtcNow)));
                break;
            case "watch":
                var timeout = IntOf(query, "timeoutSeconds");
                var request = new WatchRequest(path.Type, path.Namespace, SelectorOf(query), query["resourceVersion"],
                    query["allowWatchBookmarks"] == "true", timeout > 0 ? TimeSpan.FromSeconds(timeout) : null, metadataOnly, table);
                await WatchStream.Serve(context, store, faults, request, options.BookmarkInterval);
                break;
            case "create":
                var newObject = await Body(context);
                var admittedCreate = await AdmitAsync(context, path, "CREATE", () => (Candidate(path, newObject.DeepClone().AsObject()), null));
                var created = store.Create(path.Type, path.Namespace, newObject, validation, DryRun(context));
                await ResponseWriter.Object(context, 201, created.Object, metadataOnly, [.. admittedCreate, .. created.Warnings]);
                break;
            case "update":
                var replacement = await Body(context);
                var admittedUpdate = await AdmitAsync(context, path, "UPDATE", () => store.TryGet(path.Type, path.Namespace, path.Name) is { } current
                    ? (statusOnly ? WithStatus(current.Copy(), replacement) : Candidate(path, replacement.DeepClone().AsObject()), current.Copy())
                    : (null, null));
                var replaced = store.Replace(path.Type, path.Namespace, path.Name, replacement, statusOnly, validation, DryRun(context));
                await ResponseWriter.Object(context, 200, replaced.Object, metadataOnly, [.. admittedUpdate, .. replaced.Warnings]);
                break;
            case "patch":
                var patched = await PatchAsync(context, path, statusOnly, validation);
                await ResponseWriter.Object(context, 200, patched.Object, metadataOnly, patched.Warnings);
                break;
            case "delete":
                var body = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0 ? await Body(context) : null;
                var admittedDelete = await AdmitAsync(context, path, "DELETE", () => (null, store.TryGet(path.Type, path.Namespace, path.Name)?.Copy()));
                await ResponseWriter.Object(context, 200, store.Delete(path.Type, path.Namespace, path.Name, body, DryRun(context)), metadataOnly, admittedDelete);
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource: {verb} {path.Type.Name}");
        }
    }

    private async Task<WriteResult> PatchAsync(HttpContext context, ResourcePath path, bool statusOnly, FieldValidation validation)
    {
        var contentType = context.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var body = await JsonBody(context, contentType);
        Func<JsonObject, JsonObject> patch = contentType switch
        {
            "application/merge-patch+json" or "application/strategic-merge-patch+json" or "application/apply-patch+yaml" =>
                target => Patching.Merge(target, body as JsonObject ?? throw ApiError.BadRequest("a merge patch must be a JSON object")),
            "application/json-patch+json" =>
                target => Patching.Apply(target, body as JsonArray ?? throw ApiError.BadRequest("a JSON patch must be a JSON array of operations")),
            _ => throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got \"{contentType}\")"),
        };
        var apply = contentType == "application/apply-patch+yaml";
        if (apply && string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
        {
            throw new ApiError(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        var createIfMissing = apply && !statusOnly;
        var current = store.WebhookConfigurations.Count == 0 ? null : store.TryGet(path.Type, path.Namespace, path.Name);
        var admitted = await AdmitAsync(context, path, current is null ? "CREATE" : "UPDATE", () => current is not null
            ? (patch(current.Copy()), current.Copy())
            : createIfMissing ? (Candidate(path, patch(new JsonObject { ["metadata"] = new JsonObject { ["name"] = path.Name } })), (JsonObject?)null) : ((JsonObject?)null, (JsonObject?)null));
        var result = store.Patch(path.Type, path.Namespace, path.Name, patch, statusOnly, createIfMissing, validation, DryRun(context));
        return admitted.Count == 0 ? result : result with { Warnings = [.. admitted, .. result.Warnings] };
    }

    /// <summary>
    /// Validating admission: with no ValidatingWebhookConfiguration stored this costs one field read. Otherwise the
    /// webhooks that match see <paramref name="objects"/> (the object about to be stored and the one it replaces; no
    /// object at all means the write fails in the store anyway) and may refuse the write or add warnings.
    /// </summary>
    private async Task<IReadOnlyList<string>> AdmitAsync(HttpContext context, ResourcePath path, string operation, Func<(JsonObject? Object, JsonObject? OldObject)> objects)
    {
        var configurations = store.WebhookConfigurations;
        if (configurations.Count == 0)
        {
            return [];
        }

        var (obj, oldObject) = objects();
        if (obj is null && oldObject is null)
        {
            return [];
        }

        var dryRun = DryRun(context);
        var name = obj?["metadata"]?["name"]?.GetValue<string>() ?? oldObject?["metadata"]?["name"]?.GetValue<string>() ?? path.Name;
        var parsed = configurations.Select(c => JsonNode.Parse(c)!.AsObject()).ToList();
        var attempt = new AdmissionAttempt(path.Type, path.Subresource, operation, path.Namespace, name, obj, oldObject, dryRun);
        return (await webhooks.AdmitAsync(attempt, parsed, context.RequestAborted)).Warnings;
    }

    /// <summary><c>?dryRun=All</c>: judged and validated in full, stored nowhere.</summary>
    private static bool DryRun(HttpContext context) => context.Request.Query["dryRun"] == "All";

    /// <summary>The object as sent, placed where the request puts it, as a webhook receives it.</summary>
    private static JsonObject Candidate(ResourcePath path, JsonObject obj)
    {
        obj["apiVersion"] = path.Type.ApiVersion;
        obj["kind"] = path.Type.Kind;
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        if (path.Type.Namespaced)
        {
            metadata["namespace"] = path.Namespace;
        }

        return obj;
    }

    private static JsonObject WithStatus(JsonObject current, JsonObject body)
    {
        current["status"] = body["status"]?.DeepClone();
        return current;
    }

    private static async Task<JsonNode?> JsonBody(HttpContext context, string contentType)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException) when (contentType == "application/apply-patch+yaml")
        {
            throw new ApiError(415, "UnsupportedMediaType", "application/apply-patch+yaml: this emulator accepts apply patches written as JSON only");
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    private static async Task<JsonObject> Body(HttpContext context) =>
        await JsonBody(context, "application/json") as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");

    private ResourcePath? Parse(string[] segments)
    {
        var (group, version, rest) = segments switch
        {
            ["api", var v, .. var r] => ("", v, r),
            ["apis", var g, var v, .. var r] => (g, v, r),
            _ => (null!, null!, Array.Empty<string>()),
        };
        if (group is null || rest.Length == 0)
        {
            return null;
        }

        if (rest is ["namespaces", var ns, var plural, .. var tail] && registry.Find(group, version, plural) is { Namespaced: true } namespaced)
        {
            return tail.Length <= 2 ? new ResourcePath(namespaced, ns, tail.ElementAtOrDefault(0) ?? "", tail.ElementAtOrDefault(1) ?? "") : null;
        }

        if (registry.Find(group, version, rest[0]) is not { } type || rest.Length > 3 || (type.Namespaced && rest.Length > 1))
        {
            return null;
        }

        var subresource = rest.ElementAtOrDefault(2) ?? "";
        if (subresource.Length > 0 && !(subresource == "status" && type.HasStatus))
        {
            return null;
        }

        return new ResourcePath(type, "", rest.ElementAtOrDefault(1) ?? "", subresource);
    }

    private static string Verb(string method, ResourcePath path, IQueryCollection query)
    {
        var collection = path.Name.Length == 0;
        return (method, collection) switch
        {
            ("GET", true) when query["watch"] is var w && (w == "true" || w == "1") => "watch",
            ("GET", true) => "list",
            ("GET", false) => "get",
            ("POST", true) => "create",
            ("PUT", false) => "update",
            ("PATCH", false) => "patch",
            ("DELETE", false) => "delete",
            _ => method.ToLowerInvariant(),
        };
    }

    private static Selector SelectorOf(IQueryCollection query) => Selector.Parse(query["labelSelector"], query["fieldSelector"]);

    private static int IntOf(IQueryCollection query, string key) =>
        int.TryParse(query[key], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static ApiError Injected(int code, HttpContext context)
    {
        if (code == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return code switch
        {
            429 => new ApiError(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later (injected fault)"),
            503 => new ApiError(503, "ServiceUnavailable", "the server is currently unable to handle the request (injected fault)"),
            _ => new ApiError(code, "InternalError", "Internal error occurred: injected fault"),
        };
    }

    private static ApiError NotServed() => new(404, "NotFound", "the server could not find the requested resource");

    private static Task Fail(HttpContext context, ApiError error) => ResponseWriter.Json(context, error.Code, error.ToStatus());
}
