using AiBaseline.Engine.Controls;
using BenchmarkDotNet.Attributes;

namespace AiBaseline.Benchmarks;

/// <summary>Each registered control on its own, on the deployment of <see cref="EngineBenchmarks"/>, to find the costly one.</summary>
[MemoryDiagnoser]
public class OneControlBenchmarks
{
    private EvaluationContext context = null!;
    private IControl control = null!;

    /// <summary>The name of the control to run.</summary>
    [ParamsSource(nameof(ControlNames))]
    public string Control { get; set; } = "";

    public static IEnumerable<string> ControlNames => ControlSet.All.Select(c => c.Name);

    [GlobalSetup]
    public void Setup()
    {
        var (snapshot, profile) = EngineBenchmarks.Typical();
        context = new EvaluationContext(snapshot, profile.Spec, TimeProvider.System.GetUtcNow());
        control = ControlSet.All.First(c => c.Name == Control);
    }

    [Benchmark]
    public ControlOutcome Evaluate() => control.Evaluate(context);
}
