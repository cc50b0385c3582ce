using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class TableOutputTests
{
    /// <summary>What kubectl get sends: table v1, table v1beta1, then plain JSON.</summary>
    private const string KubectlAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    [Fact]
    public async Task Printer_columns_become_typed_cells_after_the_name()
    {
        await using var api = await WithMetersAsync();
        var started = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        api.Create(Meter("m1", new JsonObject { ["count"] = 3.7, ["ratio"] = 1.5, ["enabled"] = true, ["started"] = started, ["bad"] = "yesterday" }));

        var (_, contentType, table) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/namespaces/default/meters/m1");

        Assert.Equal("application/json;as=Table;v=v1;g=meta.k8s.io", contentType);
        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal(["Name", "Count", "Ratio", "Enabled", "Text", "Started", "Bad", "Phase"], columns.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("name", columns[0]!["format"]!.GetValue<string>());
        Assert.Equal(["string", "integer", "number", "boolean", "string", "date", "date", "string"], columns.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1], columns.Select(c => c!["priority"]!.GetValue<int>()));
        Assert.Equal("byte", columns[4]!["format"]!.GetValue<string>());
        Assert.Equal("How many, truncated.", columns[1]!["description"]!.GetValue<string>());
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("""["m1",3,1.5,true,"3.7"]""", new JsonArray([.. cells.Take(5).Select(c => c?.DeepClone())]).ToJsonString());
        Assert.Matches("^5m([0-9]s)?$", cells[5]!.GetValue<string>());
        Assert.Equal("<invalid>", cells[6]!.GetValue<string>());
        Assert.Null(cells[7]);
        Assert.Equal(api.Get("example.aibaseline.io/v1alpha1", "Meter", "default", "m1")!["metadata"]!["resourceVersion"]!.GetValue<string>(),
            table["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_null_cell_not_an_error()
    {
        await using var api = await WithMetersAsync();
        api.Create(Meter("m1", new JsonObject { ["count"] = "many", ["ratio"] = "high", ["enabled"] = "yes", ["started"] = 7 }));

        var (status, _, table) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/namespaces/default/meters/m1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""["m1",null,null,null,"many",null,null,null]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "24h", "UTC with Z")]
    [InlineData("2026-01-01T01:00:00+01:00", "24h", "an offset is honoured")]
    [InlineData("2026-01-01T00:00:00.250Z", "23h", "fractional seconds")]
    [InlineData("2026-01-01", "<invalid>", "a bare date is not RFC 3339")]
    [InlineData("2026-01-01T00:00:00", "<invalid>", "a time without zone is not RFC 3339")]
    [InlineData("", "<unknown>", "an empty timestamp is the zero time")]
    public void Date_cells_are_ages_of_rfc3339_timestamps(string timestamp, string expected, string reason)
    {
        var now = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);

        var cell = TableConverter.Cell("date", JsonValue.Create(timestamp), now);

        Assert.True(expected == cell!.GetValue<string>(), $"{reason}: got {cell.ToJsonString()}");
    }

    [Theory]
    [InlineData("""["a","b"]""", "[a b]", "a list prints as Go prints a slice")]
    [InlineData("""{"b":1,"a":{"c":true}}""", "map[a:map[c:true] b:1]", "an object prints as Go prints a map, keys sorted")]
    [InlineData("42", "42", "an integer prints its digits")]
    [InlineData("1e300", "1e300", "a huge number prints rather than overflowing")]
    [InlineData("false", "false", "a boolean prints as a word")]
    public void A_string_column_prints_other_values_as_text(string json, string expected, string reason)
    {
        var cell = TableConverter.Cell("string", JsonNode.Parse(json), DateTimeOffset.UnixEpoch);

        Assert.True(expected == cell!.GetValue<string>(), $"{reason}: got {cell.ToJsonString()}");
    }

    [Theory]
    [InlineData("", "PartialObjectMetadata", false, "rows carry metadata only unless asked otherwise")]
    [InlineData("Metadata", "PartialObjectMetadata", false, "metadata asked for explicitly")]
    [InlineData("Object", "Meter", true, "the whole object, as kubectl asks when sorting")]
    [InlineData("None", null, false, "no object at all")]
    public async Task Rows_carry_the_object_includeObject_asks_for(string include, string? kind, bool hasSpec, string reason)
    {
        await using var api = await WithMetersAsync();
        api.Create(Meter("m1", new JsonObject { ["count"] = 1 }));
        var query = include.Length == 0 ? "" : $"?includeObject={include}";

        var (_, _, table) = await GetAsync(api, $"/apis/example.aibaseline.io/v1alpha1/namespaces/default/meters{query}");

        var obj = table["rows"]![0]!["object"];
        Assert.True(kind == obj?["kind"]?.GetValue<string>(), $"{reason}: got {obj?.ToJsonString() ?? "null"}");
        Assert.True(hasSpec == (obj?["spec"] is not null), $"{reason}: spec presence");
        Assert.True(kind is null || obj!["metadata"]!["name"]!.GetValue<string>() == "m1", reason);
    }

    [Fact]
    public async Task An_unknown_includeObject_is_a_bad_request()
    {
        await using var api = await WithMetersAsync();

        var (status, _, body) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/namespaces/default/meters?includeObject=All");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("includeObject", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_v1beta1_table_is_served_when_asked_for_first()
    {
        await using var api = await WithMetersAsync();
        api.Create(Meter("m1", new JsonObject()));

        var (_, contentType, table) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/meters", "application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json");

        Assert.Equal("application/json;as=Table;v=v1beta1;g=meta.k8s.io", contentType);
        Assert.Equal("meta.k8s.io/v1beta1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1beta1", table["rows"]![0]!["object"]!["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plain_json_first_in_accept_gets_the_plain_list()
    {
        await using var api = await WithMetersAsync();

        var (_, _, list) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/meters", "application/json, application/json;as=Table;v=v1;g=meta.k8s.io");

        Assert.Equal("MeterList", list["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_paged_table_keeps_the_list_resource_version_and_continue_token()
    {
        await using var api = await WithMetersAsync();
        api.Create(Meter("m1", new JsonObject()));
        api.Create(Meter("m2", new JsonObject()));

        var (_, _, first) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/meters?limit=1");
        var token = Uri.EscapeDataString(first["metadata"]!["continue"]!.GetValue<string>());
        var (_, _, second) = await GetAsync(api, $"/apis/example.aibaseline.io/v1alpha1/meters?limit=1&continue={token}");

        Assert.Equal(api.ResourceVersion.ToString(CultureInfo.InvariantCulture), first["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("m1", first["rows"]![0]!["cells"]![0]!.GetValue<string>());
        Assert.Equal("m2", second["rows"]![0]!["cells"]![0]!.GetValue<string>());
        Assert.Null(second["metadata"]!["continue"]);
    }

    [Fact]
    public async Task Built_in_kinds_get_the_default_name_and_created_at_columns()
    {
        await using var api = await TestCluster.StartAsync();
        var created = api.Create(TestCluster.ConfigMap("settings"));

        var (_, _, table) = await GetAsync(api, "/api/v1/namespaces/default/configmaps");

        Assert.Equal(["Name", "Created At"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("date", table["columnDefinitions"]![1]!["type"]!.GetValue<string>());
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("settings", cells[0]!.GetValue<string>());
        Assert.Equal(created.Metadata.CreationTimestamp!.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), cells[1]!.GetValue<string>());
    }

    [Fact]
    public async Task A_custom_resource_without_printer_columns_shows_its_age()
    {
        await using var api = await TestCluster.StartAsync();
        api.Create(TestCluster.NewWidget("w1"));

        var (_, _, table) = await GetAsync(api, "/apis/example.aibaseline.io/v1alpha1/namespaces/default/widgets");

        Assert.Equal(["Name", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Matches("^[0-9]+s$", table["rows"]![0]!["cells"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task A_printer_column_whose_path_does_not_parse_is_refused_with_the_crd()
    {
        await using var api = await KubeEmulator.StartAsync();
        var crd = MeterCrd();
        crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]![2]!["jsonPath"] = ".spec.ratio[";

        var error = Assert.Throws<ApiError>(() => api.ApplyCrd(crd));

        Assert.Equal(422, error.Code);
        Assert.Contains("spec.versions[0].additionalPrinterColumns[2].JSONPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_printer_column_of_an_unknown_type_is_refused_with_the_crd()
    {
        await using var api = await KubeEmulator.StartAsync();
        var crd = MeterCrd();
        crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]![0]!["type"] = "int";

        var error = Assert.Throws<ApiError>(() => api.ApplyCrd(crd));

        Assert.Equal(422, error.Code);
        Assert.Contains("spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: \"int\"", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, JsonNode Body)> GetAsync(KubeEmulator api, string path, string accept = KubectlAccept)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Url + path));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await http.SendAsync(request);
        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
        return (response.StatusCode, contentType, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<KubeEmulator> WithMetersAsync()
    {
        var api = await KubeEmulator.StartAsync();
        api.ApplyCrd(MeterCrd());
        return api;
    }

    private static JsonObject Meter(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "example.aibaseline.io/v1alpha1",
        ["kind"] = "Meter",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = spec,
    };

    /// <summary>A kind with one printer column of every type, each reading spec fields the schema leaves open.</summary>
    private static JsonObject MeterCrd() => JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
          "metadata": { "name": "meters.example.aibaseline.io" },
          "spec": {
            "group": "example.aibaseline.io", "scope": "Namespaced",
            "names": { "plural": "meters", "singular": "meter", "kind": "Meter" },
            "versions": [ {
              "name": "v1alpha1", "served": true, "storage": true,
              "schema": { "openAPIV3Schema": { "type": "object", "properties": {
                "spec": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                "status": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } } } },
              "additionalPrinterColumns": [
                { "name": "Count", "type": "integer", "jsonPath": ".spec.count", "description": "How many, truncated." },
                { "name": "Ratio", "type": "number", "jsonPath": ".spec.ratio" },
                { "name": "Enabled", "type": "boolean", "jsonPath": ".spec.enabled" },
                { "name": "Text", "type": "string", "format": "byte", "jsonPath": ".spec.count" },
                { "name": "Started", "type": "date", "jsonPath": ".spec.started" },
                { "name": "Bad", "type": "date", "jsonPath": ".spec.bad" },
                { "name": "Phase", "type": "string", "priority": 1, "jsonPath": ".status.phase" }
              ]
            } ]
          }
        }
        """)!.AsObject();
}
