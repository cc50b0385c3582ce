using AiBaseline.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == AuditScaleBenchmark.Mode)
{
    return AuditScaleBenchmark.Run(args.Skip(1));
}

if (args.Length > 0 && args[0] == AuditStreamBenchmark.Mode)
{
    return AuditStreamBenchmark.Run(args.Skip(1));
}

if (args.Length > 0 && args[0] == ServingKindsScaleBenchmark.Mode)
{
    return ServingKindsScaleBenchmark.Run(args.Skip(1));
}

if (args.Length > 0 && args[0] == ReportScaleBenchmark.Mode)
{
    return await ReportScaleBenchmark.RunAsync(args.Skip(1));
}

if (args.Length > 0 && args[0] == OperatorScaleBenchmark.Mode)
{
    return await OperatorScaleBenchmark.RunAsync([.. args.Skip(1)]);
}

if (args.Length > 0 && args[0] == AdmissionLoadBenchmark.Mode)
{
    return await AdmissionLoadBenchmark.RunAsync([.. args.Skip(1)]);
}

if (args.Length > 0 && args[0] == ModelHashHarness.Mode)
{
    return await ModelHashHarness.RunAsync([.. args.Skip(1)]);
}

if (args.Length > 0 && args[0] == "keyless-image-cpu")
{
    return KeylessImageBenchmarks.RunCpuMeasure([.. args.Skip(1)]);
}

if (args.Length > 0 && args[0] == "timestamp-cpu")
{
    return TimestampBenchmarks.RunCpuMeasure([.. args.Skip(1)]);
}

if (args.Length > 0 && args[0] == "sigstore-cpu")
{
    return SigstoreBenchmarks.RunCpuMeasure([.. args.Skip(1)]);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkAssembly).Assembly).Run(args);
return 0;
