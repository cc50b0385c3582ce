using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AiBaseline.Benchmarks.BenchmarkAssembly).Assembly).Run(args);
