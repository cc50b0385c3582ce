using System.Diagnostics;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// Debian's chromium, headless, as tests/setup.d/40-chromium.sh installs it: renders a local page to its DOM, a
/// screenshot or a PDF. Started with a fresh profile and without background networking, which this machine's
/// closed network refuses; the page itself must need nothing from outside.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The browser: $AIBASELINE_CHROMIUM, else chromium on the PATH; null when there is none.</summary>
    public static string? Path { get; } = Find();

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Path is null
        ? "chromium is not installed: run tests/setup.d/40-chromium.sh (Debian package chromium) or set AIBASELINE_CHROMIUM"
        : null;

    /// <summary>The DOM after the page loaded, serialized.</summary>
    public static string DumpDom(string page) => Run(page, "--dump-dom").Stdout;

    /// <summary>A PNG of the first <paramref name="height"/> pixels of the page at <paramref name="width"/>.</summary>
    public static byte[] Screenshot(string page, int width, int height)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"aibaseline-shot-{Guid.NewGuid():n}.png");
        try
        {
            Run(page, $"--screenshot={file}", $"--window-size={width},{height}", "--hide-scrollbars");
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The page printed to PDF, as the browser's print dialog would.</summary>
    public static byte[] PrintToPdf(string page)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"aibaseline-print-{Guid.NewGuid():n}.pdf");
        try
        {
            Run(page, $"--print-to-pdf={file}", "--no-pdf-header-footer");
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs the browser on <paramref name="page"/> (a file path) with <paramref name="arguments"/>.</summary>
    public static (string Stdout, TimeSpan Elapsed) Run(string page, params string[] arguments)
    {
        var profile = Directory.CreateTempSubdirectory("aibaseline-chromium-");
        try
        {
            var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException(SkipReason))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                $"--user-data-dir={profile.FullName}", .. arguments, new Uri(System.IO.Path.GetFullPath(page)).AbsoluteUri])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:";
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish rendering {page} within 2 minutes");
            }

            var elapsed = clock.Elapsed;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"chromium exited {process.ExitCode} on {page}: {stderr.Result}");
            }

            return (stdout.Result, elapsed);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("AIBASELINE_CHROMIUM") is { Length: > 0 } given && File.Exists(given))
        {
            return given;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
            .Select(dir => System.IO.Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
    }
}
