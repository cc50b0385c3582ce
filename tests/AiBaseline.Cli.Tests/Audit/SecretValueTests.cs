namespace AiBaseline.Cli.Tests.Audit;

/// <summary>The audit reads Secrets for their names only; their values never reach any report.</summary>
public sealed class SecretValueTests
{
    // The values in the examples: the Hugging Face token Secret (stringData), the retired model's key
    // (data, base64 and decoded), and the literal key the non-compliant example puts in env.
    private static readonly string[] Values =
    [
        "example-placeholder-not-a-real-token",
        "ZXhhbXBsZS1vbmx5LW5vdC1hLXJlYWwta2V5",
        "example-only-not-a-real-key",
        "sk-proj-EXAMPLEexampleEXAMPLEexample0123",
    ];

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("junit")]
    public void No_secret_value_appears_in_any_format(string format)
    {
        var run = AuditHarness.Run(AuditHarness.Examples(), "-o", format);

        Assert.Equal(1, run.Exit);
        Assert.Contains("summarizer-api-key", run.Stdout, StringComparison.Ordinal); // the name is reported
        Assert.All(Values, value => Assert.DoesNotContain(value, run.All, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_secret_is_reported_without_its_data()
    {
        using var temp = new TempManifests();
        var path = temp.Write("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: x\nstringData:\n  password: hunter2-is-the-password\n");

        var run = AuditHarness.Run(path);

        Assert.Equal(2, run.Exit);
        Assert.Contains(path + ":1: Secret/(no name): metadata.name: is missing: every object needs a name", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.All, StringComparison.Ordinal);
    }
}
