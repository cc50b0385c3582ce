namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// Manifests users write pass the generated schema, and mistakes are rejected with the field that is wrong:
/// every AIModelDeployment, BaselineException and BaselineProfile under examples/ and under this project's Fixtures/valid,
/// and each broken manifest under Fixtures/invalid.
/// </summary>
public sealed class CrdValidationTests
{
    public static TheoryData<string> ValidManifests
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var directory in new[] { RepositoryPaths.Examples, Path.Combine(RepositoryPaths.Fixtures, "valid") })
            {
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(directory, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ValidManifests))]
    public void Manifest_is_accepted_by_the_generated_schema(string file)
    {
        var documents = YamlDocuments.LoadFile(Path.Combine(RepositoryPaths.Root, file)).Where(SchemaCheck.IsOurs).ToList();

        var problems = documents
            .SelectMany(d => SchemaCheck.Check(d!).Select(v => $"{d!["kind"]}/{d["metadata"]?["name"]}: {v}"))
            .ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void Fixtures_cover_every_kind()
    {
        var kinds = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Fixtures, "valid"))
            .SelectMany(YamlDocuments.LoadFile)
            .Where(SchemaCheck.IsOurs)
            .Select(d => (string?)d!["kind"])
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(["AIModelDeployment", "BaselineException", "BaselineProfile"], kinds);
    }

    [Fact]
    public void Every_broken_fixture_has_a_row_naming_the_field_it_breaks()
    {
        var rows = typeof(CrdValidationTests).GetMethod(nameof(Broken_manifest_is_rejected_naming_the_field))!
            .GetCustomAttributes(typeof(InlineDataAttribute), inherit: false)
            .Cast<InlineDataAttribute>()
            .Select(row => (string)row.Data[0]!)
            .Order(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Fixtures, "invalid"))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);

        Assert.Equal(files, rows);
    }

    [Theory]
    [InlineData("unknown-stage", "spec.stage", "Unsupported value: \"Production\"")]
    [InlineData("missing-stage", "spec.stage", "Required value")]
    [InlineData("missing-spec", "spec", "Required value")]
    [InlineData("unknown-field", "spec.replicas", "field not declared in schema")]
    [InlineData("workload-kind-replicaset", "spec.workloadRef.kind", "Unsupported value: \"ReplicaSet\"")]
    [InlineData("empty-model-name", "spec.models[0].name", "should be at least 1 chars long")]
    [InlineData("evidence-without-date", "spec.evidence[0].date", "Required value")]
    [InlineData("profile-mode", "spec.mode", "Unsupported value: \"Block\"")]
    [InlineData("profile-max-age", "spec.evidence.maxAgeDays", "should be greater than or equal to 1")]
    [InlineData("profile-quoted-boolean", "spec.images.requireDigest", "must be of type boolean")]
    [InlineData("evidence-unknown-provision", "spec.evidence[0].provisions[1]", "Unsupported value: \"9.9.9\"")]
    [InlineData("evidence-unknown-type", "spec.evidence[0].type", "Unsupported value: \"PenTestSummary\"")]
    [InlineData("evidence-digest-not-sha256", "spec.evidence[0].digest", "should match '^sha256:[0-9a-f]{64}$'")]
    [InlineData("profile-require-digest-unknown-type", "spec.evidence.requireDigest[1]", "Unsupported value: \"Runbook\"")]
    [InlineData("profile-scope-unknown-provision", "spec.scope.outOfScope[0].provision", "Unsupported value: \"5.9.9-9\"")]
    [InlineData("profile-scope-without-reason", "spec.scope.outOfScope[0].reason", "Required value")]
    [InlineData("waiver-unknown-provision", "spec.provisions[0]", "Unsupported value: \"5.2.9-1\"")]
    [InlineData("waiver-without-expiry", "spec.expiresAt", "Required value")]
    public void Broken_manifest_is_rejected_naming_the_field(string fixture, string path, string message)
    {
        var document = YamlDocuments.LoadFile(Path.Combine(RepositoryPaths.Fixtures, "invalid", fixture + ".yaml")).Single()!;

        var violation = Assert.Single(SchemaCheck.Check(document));

        Assert.Equal(path, violation.Path);
        Assert.Contains(message, violation.Message, StringComparison.Ordinal);
    }
}
