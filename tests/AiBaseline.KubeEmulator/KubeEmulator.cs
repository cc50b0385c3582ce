using System.Reflection;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 (a dynamic port unless <see cref="KubeEmulatorOptions.Port"/> fixes one) for tests. The real KubernetesClient talks to it over
/// HTTP; tests can also seed and read objects directly, inject faults through <see cref="Faults"/> and count calls
/// through <see cref="Requests"/>.
/// <code>
/// await using var api = await KubeEmulator.StartAsync();
/// IKubernetes client = api.CreateClient();
/// </code>
/// </summary>
public sealed class KubeEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ResourceRegistry _registry;
    private readonly ObjectStore _store;

    private KubeEmulator(WebApplication app, ResourceRegistry registry, ObjectStore store, EmulatorFaults faults, RequestLog requests)
    {
        _app = app;
        _registry = registry;
        _store = store;
        Faults = faults;
        Requests = requests;
    }

    /// <summary>Base address, for example <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Run-time fault injection.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Every API call the server answered, counted per verb and resource.</summary>
    public RequestLog Requests { get; }

    /// <summary>The latest resourceVersion handed out.</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>How many watch streams are open right now.</summary>
    public int OpenWatches => _store.OpenWatches;

    /// <summary>Starts a server with its own empty store (plus the initial namespaces).</summary>
    public static async Task<KubeEmulator> StartAsync(KubeEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeEmulatorOptions();
        var registry = new ResourceRegistry();
        var store = new ObjectStore(registry, new WatchHub(options.EventHistoryCapacity), options);
        var faults = new EmulatorFaults(store.DropWatches);
        var requests = new RequestLog();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(KubeEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{options.Port}"));
        var app = builder.Build();
        var router = new ApiRouter(store, registry, faults, requests, options);
        app.Run(router.Handle);
        var emulator = new KubeEmulator(app, registry, store, faults, requests);
        foreach (var ns in options.InitialNamespaces)
        {
            emulator.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        await app.StartAsync(cancellationToken);
        emulator.Url = app.Urls.First().TrimEnd('/');
        return emulator;
    }

    /// <summary>A real KubernetesClient pointed at this server.</summary>
    public IKubernetes CreateClient() => new Kubernetes(CreateClientConfiguration());

    /// <summary>Client configuration for this server, for code that builds its own client.</summary>
    public KubernetesClientConfiguration CreateClientConfiguration() => new() { Host = Url };

    /// <summary>
    /// Writes a kubeconfig whose current context points at this server, for kubectl and for code that takes a
    /// kubeconfig path (such as <c>aibaseline operator --kubeconfig</c>); returns <paramref name="path"/>.
    /// </summary>
    public string WriteKubeconfig(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(
            path,
            $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: aibaseline-emulator
              cluster:
                server: {{Url}}
            users:
            - name: aibaseline-emulator
              user:
                token: emulator-does-not-check-credentials
            contexts:
            - name: aibaseline-emulator
              context:
                cluster: aibaseline-emulator
                user: aibaseline-emulator
            current-context: aibaseline-emulator

            """);
        return path;
    }

    /// <summary>Stores an object as a create call would (validation, generateName, 409 if it exists); returns the stored object.</summary>
    public JsonObject Create(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (type, ns) = Locate(obj);
        return _store.Create(type, ns, obj.DeepClone().AsObject(), FieldValidation.Warn).Object.Copy();
    }

    /// <summary>
    /// Creates every document of a YAML manifest, as <c>kubectl create -f</c> would; returns how many. Documents are
    /// read through KubernetesClient's models, plus <paramref name="kinds"/> (<c>apiVersion/kind</c> to type) for
    /// custom resources. A text that is not a manifest throws <see cref="InvalidDataException"/>.
    /// </summary>
    public int CreateFromYaml(string yaml, IDictionary<string, Type>? kinds = null)
    {
        List<JsonObject> documents;
        try
        {
            documents = [.. KubernetesYaml.LoadAllFromString(yaml, kinds).Select(d => JsonNode.Parse(KubernetesJson.Serialize(d))!.AsObject())];
        }
        catch (KeyNotFoundException)
        {
            // A custom resource without a type here (a serving stack's kind): read as plain YAML, as kubectl reads it.
            documents = Untyped(yaml);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"not a Kubernetes manifest: {e.Message}", e);
        }

        foreach (var document in documents)
        {
            Create(document);
        }

        return documents.Count;
    }

    /// <summary>Stores a typed object (for example a <see cref="V1Secret"/>) and returns it as stored.</summary>
    public T Create<T>(T obj) where T : IKubernetesObject
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        if (node["apiVersion"] is null || node["kind"] is null)
        {
            // Typed models built in code usually leave these empty; the typed client's URL carries them instead.
            var (apiVersion, kind) = EntityOf<T>();
            node["apiVersion"] = apiVersion;
            node["kind"] = kind;
        }

        var stored = Create(node);
        return KubernetesJson.Deserialize<T>(stored.ToJsonString());
    }

    /// <summary>The stored object, or null. <paramref name="ns"/> is ignored for cluster-scoped kinds.</summary>
    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        var type = Resolve(apiVersion, kind);
        return _store.TryGet(type, type.Namespaced ? ns ?? "default" : "", name)?.Copy();
    }

    /// <summary>The stored object as <typeparamref name="T"/> (a KubernetesClient model), or null.</summary>
    public T? Get<T>(string? ns, string name) where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = EntityOf<T>();
        return Get(apiVersion, kind, ns, name) is { } found ? KubernetesJson.Deserialize<T>(found.ToJsonString()) : null;
    }

    /// <summary>Every stored object of a kind, in one namespace or (null) all, ordered by namespace and name.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        var type = Resolve(apiVersion, kind);
        return [.. _store.List(type, type.Namespaced ? ns ?? "" : "", Selector.Everything).Items.Select(o => o.Copy())];
    }

    /// <summary>Deletes as a delete call would (finalizers hold the object); false when it did not exist.</summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name)
    {
        var type = Resolve(apiVersion, kind);
        var scope = type.Namespaced ? ns ?? "default" : "";
        if (_store.TryGet(type, scope, name) is null)
        {
            return false;
        }

        _store.Delete(type, scope, name, null);
        return true;
    }

    /// <summary>Forgets the watch history: watches and continue tokens from any resourceVersion handed out so far get 410 Gone.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Creates (or replaces) a CustomResourceDefinition, which starts serving its resources.</summary>
    public void ApplyCrd(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var type = Resolve("apiextensions.k8s.io/v1", "CustomResourceDefinition");
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (_store.TryGet(type, "", name) is null)
        {
            _store.Create(type, "", crd.DeepClone().AsObject(), FieldValidation.Warn);
        }
        else
        {
            _store.Replace(type, "", name, crd.DeepClone().AsObject(), statusOnly: false, FieldValidation.Warn);
        }
    }

    /// <summary>Applies every CustomResourceDefinition in the <c>*.yaml</c>/<c>*.yml</c> files of a directory; returns how many.</summary>
    public int ApplyCrdsFrom(string directory)
    {
        var crds = CrdFiles.Load(directory);
        foreach (var crd in crds)
        {
            ApplyCrd(crd);
        }

        return crds.Count;
    }

    private static List<JsonObject> Untyped(string yaml)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(yaml));
        var deserializer = new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
        var documents = new List<JsonObject>();
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            if (JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(deserializer.Deserialize<object>(parser))) is JsonObject document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    public async ValueTask DisposeAsync()
    {
        Faults.Dispose();
        _store.DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private (ResourceType Type, string Namespace) Locate(JsonObject obj)
    {
        var type = Resolve(obj["apiVersion"]?.GetValue<string>() ?? "", obj["kind"]?.GetValue<string>() ?? "");
        var ns = type.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : "";
        return (type, ns);
    }

    private ResourceType Resolve(string apiVersion, string kind) =>
        _registry.FindKind(apiVersion, kind)
        ?? throw new ArgumentException($"the emulator does not serve {kind} in {apiVersion}: create its CustomResourceDefinition first", nameof(kind));

    private static (string ApiVersion, string Kind) EntityOf<T>()
        where T : IKubernetesObject
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity] attribute naming its group and version", nameof(T));
        return (string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}", entity.Kind);
    }
}
