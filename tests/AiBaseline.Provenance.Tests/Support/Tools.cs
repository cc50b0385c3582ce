namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Finds the programs tests/setup.d/20-oci-registry.sh installs; a missing one fails the test with a hint.</summary>
internal static class Tools
{
    public static string Cosign => Find("AIBASELINE_COSIGN", Path.Combine(ToolsDir, "cosign", "usr", "bin", "cosign"));

    public static string DockerRegistry => Find("AIBASELINE_DOCKER_REGISTRY", "/usr/bin/docker-registry");

    public static string Htpasswd => Find("AIBASELINE_HTPASSWD", "/usr/bin/htpasswd");

    public static string Openssl => Find("AIBASELINE_OPENSSL", "/usr/bin/openssl");

    private static string ToolsDir => Environment.GetEnvironmentVariable("AIBASELINE_TOOLS") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot(), ".tools");

    private static string Find(string variable, string fallback)
    {
        var path = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : fallback;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing ({variable}); run tests/run.sh (or bash tests/setup.d/20-oci-registry.sh) to install it");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "aibaseline.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (aibaseline.slnx) above " + AppContext.BaseDirectory);
    }
}
