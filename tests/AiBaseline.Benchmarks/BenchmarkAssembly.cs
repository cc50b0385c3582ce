namespace AiBaseline.Benchmarks;

/// <summary>Anchors <c>BenchmarkSwitcher</c> to this assembly; run <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- --filter '*'</c>.</summary>
internal static class BenchmarkAssembly;
