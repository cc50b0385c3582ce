using System.CommandLine;
using AiBaseline.EmulatedCluster;

var root = new RootCommand(
    "Starts the Kubernetes API emulator with the shipped CRDs and examples, then the real operator against it, until Ctrl-C.");
var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the kubeconfig for kubectl and the operator (default: <repo>/.tools/emulator.kubeconfig)." };
var port = new Option<int>("--port") { Description = "The emulator's loopback port; 0 (default) takes a free one." };
var noOperator = new Option<bool>("--no-operator") { Description = "Start the cluster only, to run the operator yourself (from an IDE, say)." };
var examples = new Option<bool>("--examples") { Description = "Create the objects of examples/ (the default).", DefaultValueFactory = _ => true };
var noExamples = new Option<bool>("--no-examples") { Description = "Start with the CRDs only." };
var metricsPort = new Option<int>("--metrics-port") { Description = "The operator's /metrics port on 127.0.0.1; 0 (default) takes a free one." };
port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 65535) { r.AddError("--port must be between 0 and 65535"); } });
metricsPort.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 65535) { r.AddError("--metrics-port must be between 0 and 65535"); } });
foreach (var option in new Option[] { kubeconfig, port, noOperator, examples, noExamples, metricsPort })
{
    root.Options.Add(option);
}

root.SetAction((parse, cancellationToken) => ClusterRun.RunAsync(
    new ClusterRunOptions(
        parse.GetValue(kubeconfig),
        parse.GetValue(port),
        Operator: !parse.GetValue(noOperator),
        Examples: parse.GetValue(examples) && !parse.GetValue(noExamples),
        parse.GetValue(metricsPort)),
    Console.Out,
    cancellationToken));

// The operator gets up to 10 s to stop after Ctrl-C or SIGTERM; the default 2 s grace would cut that short.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
