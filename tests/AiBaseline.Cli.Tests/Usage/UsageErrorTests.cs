namespace AiBaseline.Cli.Tests.Usage;

/// <summary>
/// A command line that cannot be used exits 2 with one line on stderr naming the flag and what to use, never help text
/// or a stack trace; exit 1 stays "not compliant".
/// </summary>
public sealed class UsageErrorTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        {
            "a timeout that is not a number was a stack trace and exit 134",
            ["audit", "examples/", "--verify", "--verify-timeout", "abc"],
            "aibaseline audit: --verify-timeout: \"abc\" is not allowed: use a whole number of seconds, at least 1"
        },
        {
            "a negative timeout exited 1, the code for not compliant",
            ["audit", "examples/", "--verify-timeout", "-1"],
            "aibaseline audit: --verify-timeout: \"-1\" is not allowed: use a whole number of seconds, at least 1"
        },
        {
            "a zero timeout would fail every registry request",
            ["audit", "examples/", "--verify-timeout", "0"],
            "aibaseline audit: --verify-timeout: \"0\" is not allowed: use a whole number of seconds, at least 1"
        },
        {
            "an unknown report format lists the formats, in the words the help uses",
            ["audit", "examples/", "-o", "yaml"],
            "aibaseline audit: --output: \"yaml\" is not allowed: use one of text, json, sarif, junit"
        },
        {
            "no path to audit says what to give",
            ["audit"],
            "aibaseline audit: no input: name files or directories of manifests, or - for standard input"
        },
        {
            "a flag without its value is named",
            ["audit", "examples/", "--profile"],
            "aibaseline audit: Required argument missing for option: '--profile'."
        },
        {
            "a reconcile count that is not a number was a stack trace and exit 134",
            ["operator", "--max-concurrent-reconciles", "abc"],
            "aibaseline operator: --max-concurrent-reconciles: \"abc\" is not allowed: use a whole number of deployments, at least 1"
        },
        {
            "no deployment would ever be evaluated with zero workers",
            ["operator", "--max-concurrent-reconciles", "0"],
            "aibaseline operator: --max-concurrent-reconciles: \"0\" is not allowed: use a whole number of deployments, at least 1"
        },
        {
            "a verification Job without time would fail before it starts",
            ["operator", "--model-verification-deadline", "0"],
            "aibaseline operator: --model-verification-deadline: \"0\" is not allowed: use a whole number of seconds, at least 1"
        },
        {
            "an unknown log level lists the levels",
            ["operator", "--log-level", "loud"],
            "aibaseline operator: --log-level: \"loud\" is not allowed: use one of Trace, Verbose, Debug, Information, Warning, Error, Fatal"
        },
        {
            "an unknown log format lists the formats on one line",
            ["operator", "--log-format", "xml"],
            "aibaseline operator: --log-format: \"xml\" is not allowed: use one of json, console"
        },
        {
            "a bind address without a port is caught before the operator starts",
            ["operator", "--metrics-bind-address", "localhost:http"],
            "aibaseline operator: --metrics-bind-address: \"localhost:http\" is not allowed: use host:port, :port, or 0 to turn it off"
        },
        {
            "a client rate of zero would never send a request",
            ["operator", "--kube-api-qps", "0"],
            "aibaseline operator: --kube-api-qps: \"0\" is not allowed: use a number greater than 0, such as 50 or 0.5"
        },
        {
            "a client rate given as a word",
            ["operator", "--kube-api-qps=fast"],
            "aibaseline operator: --kube-api-qps: \"fast\" is not allowed: use a number greater than 0, such as 50 or 0.5"
        },
        {
            "a negative client rate does not turn the limit off",
            ["operator", "--kube-api-qps=-1"],
            "aibaseline operator: --kube-api-qps: \"-1\" is not allowed: use a number greater than 0, such as 50 or 0.5"
        },
        {
            "a burst of zero would never send a request",
            ["operator", "--kube-api-burst", "0"],
            "aibaseline operator: --kube-api-burst: \"0\" is not allowed: use a whole number of requests, at least 1"
        },
        {
            "a burst with a fraction",
            ["operator", "--kube-api-burst", "1.5"],
            "aibaseline operator: --kube-api-burst: \"1.5\" is not allowed: use a whole number of requests, at least 1"
        },
        {
            "a namespace name the API server would refuse is named, even inside a list",
            ["operator", "--namespace", "team-a", "--namespace", "team-b,Team_C"],
            "aibaseline operator: --namespace: \"Team_C\" is not allowed: use namespace names (lowercase letters, digits and '-', at most 63), repeated or separated by commas"
        },
        {
            "a flag of another operator is named",
            ["operator", "--watch-namespaces=a,b"],
            "aibaseline operator: Unrecognized command or argument '--watch-namespaces=a,b'."
        },
        {
            "crds takes no arguments",
            ["crds", "extra"],
            "aibaseline crds: Unrecognized command or argument 'extra'."
        },
        {
            "crds --output needs a directory",
            ["crds", "--output"],
            "aibaseline crds: Required argument missing for option: '--output'."
        },
    };

    public static TheoryData<string, string[], string[]> NamespaceForms => new()
    {
        { "omitted: every namespace", ["operator"], [] },
        { "one, as before", ["operator", "--namespace", "team-a"], ["team-a"] },
        { "repeated", ["operator", "--namespace", "team-a", "--namespace=team-b"], ["team-a", "team-b"] },
        { "separated by commas, spaces and a duplicate dropped", ["operator", "--namespace", "team-a, team-b,team-a"], ["team-a", "team-b"] },
        { "both forms at once", ["operator", "--namespace=team-a,team-b", "--namespace", "team-c"], ["team-a", "team-b", "team-c"] },
        { "empty, as an unset variable expands: every namespace", ["operator", "--namespace", ""], [] },
    };

    [Theory]
    [MemberData(nameof(NamespaceForms))]
    public void Namespaces_may_be_repeated_or_separated_by_commas(string reason, string[] args, string[] expected)
    {
        var parsed = CommandLineRun.Parse(args);

        Assert.True(parsed.Errors.Count == 0, $"{reason}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        Assert.Equal(expected, parsed.GetValue<string[]>("--namespace") ?? []);
    }

    [Theory]
    [InlineData("50", 50.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("1e+06", 1e6)]
    public void A_client_rate_may_have_a_fraction_or_an_exponent_as_Helm_renders_large_numbers(string text, double expected)
    {
        var parsed = CommandLineRun.Parse("operator", "--kube-api-qps", text);

        Assert.Empty(parsed.Errors);
        Assert.Equal(expected, parsed.GetValue<double>("--kube-api-qps"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_usage_error_exits_2_with_one_line_naming_the_flag(string reason, string[] args, string expected)
    {
        var run = CommandLineRun.InProcess(args);

        Assert.True(run.Exit == 2, $"{reason}: exit {run.Exit}, stderr: {run.Stderr}");
        Assert.Equal(expected + Environment.NewLine, run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Outside_a_cluster_without_a_kubeconfig_the_operator_says_what_to_pass()
    {
        var home = Directory.CreateTempSubdirectory("aibaseline-home-");
        try
        {
            var run = await CommandLineRun.ProcessAsync(
                new Dictionary<string, string?> { ["HOME"] = home.FullName, ["KUBECONFIG"] = null, ["KUBERNETES_SERVICE_HOST"] = null, ["KUBERNETES_SERVICE_PORT"] = null },
                "operator", "--metrics-bind-address", "0", "--health-probe-bind-address", "0");

            Assert.Equal(2, run.Exit);
            Assert.Equal(
                "aibaseline operator: no cluster to connect to: pass --kubeconfig FILE, set KUBECONFIG, or run the operator in a pod with a service account" + Environment.NewLine,
                run.Stderr);
            Assert.Empty(run.Stdout);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_kubeconfig_flag_naming_no_file_is_a_usage_error_naming_the_file()
    {
        var run = await CommandLineRun.ProcessAsync(new Dictionary<string, string?>(), "operator", "--kubeconfig", "/nonexistent/kubeconfig");

        Assert.Equal(2, run.Exit);
        Assert.Equal("aibaseline operator: --kubeconfig: /nonexistent/kubeconfig: no such file" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task Without_the_flag_the_files_in_KUBECONFIG_are_used_and_a_missing_one_is_named()
    {
        var run = await CommandLineRun.ProcessAsync(
            new Dictionary<string, string?> { ["KUBECONFIG"] = "/nonexistent/kubeconfig", ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" },
            "operator");

        Assert.Equal(2, run.Exit);
        Assert.Equal("aibaseline operator: KUBECONFIG: /nonexistent/kubeconfig: no such file" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task Version_prints_the_product_version_without_a_commit()
    {
        var run = await CommandLineRun.ProcessAsync(new Dictionary<string, string?>(), "--version");

        Assert.Equal(0, run.Exit);
        Assert.Matches(@"^\d+\.\d+\.\d+\r?\n$", run.Stdout);
    }
}
