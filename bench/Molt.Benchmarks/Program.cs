using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Molt.Benchmarks;

// Molt.Benchmarks [--quick] [--out calls.json]: runs the call-cost benchmarks in process (the
// modules are compiled at run time, so there is nothing for a separate benchmark process to gain)
// and writes a summary with the ratio to the baseline and the bytes allocated per call.
// Molt.Benchmarks --migration: the state-migration benchmark (10,000 and 1,000,000 objects).
if (args.Contains("--migration"))
{
    // One migration per iteration, on a freshly filled store: the monitoring strategy, no unrolling.
    var migrationJob = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring)
        .WithWarmupCount(2).WithIterationCount(8).WithInvocationCount(1).WithUnrollFactor(1);
    BenchmarkRunner.Run<MigrationBenchmarks>(DefaultConfig.Instance.AddJob(migrationJob).AddDiagnoser(MemoryDiagnoser.Default)
        .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")));
    return;
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
var summary = BenchmarkRunner.Run<CallBenchmarks>(config);

var reports = summary.Reports.Where(r => r.ResultStatistics is not null).ToArray();
var baseline = reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
var rows = new JsonArray();
var benchmarks = new JsonArray();
foreach (var report in reports)
{
    var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
    var mean = report.ResultStatistics!.Mean;
    var ratio = baseline is null ? double.NaN : mean / baseline.ResultStatistics!.Mean;
    var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
    benchmarks.Add(new JsonObject
    {
        ["name"] = name,
        ["mean_ns"] = Math.Round(mean, 3),
        ["stddev_ns"] = Math.Round(report.ResultStatistics.StandardDeviation, 3),
        ["ratio"] = Math.Round(ratio, 3),
        ["allocated_bytes"] = bytes,
    });
    var isEntryPoint = report.BenchmarkCase.Descriptor.WorkloadMethod.Name is "EntryPointCurrent" or "ServiceCurrent";
    rows.Add(new JsonObject
    {
        ["item"] = "1",
        ["what"] = $"call cost ({(quick ? "ShortRun" : "default job")}): {name}",
        ["value"] = string.Create(CultureInfo.InvariantCulture, $"{mean:0.00} ns, {ratio:0.00}×, {bytes} B"),
        ["target"] = isEntryPoint ? "≤ 1.1× baseline, 0 B" : string.Empty,
        ["met"] = isEntryPoint ? ratio <= 1.1 && bytes == 0 : null,
    });
}

var json = new JsonObject
{
    ["item"] = "calls",
    ["job"] = quick ? "ShortRun (in process)" : "Default (in process)",
    ["benchmarks"] = benchmarks,
    ["rows"] = rows,
    ["command"] = "dotnet Molt.Benchmarks.dll " + string.Join(' ', args),
    ["measured_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    ["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : string.Empty,
};
if (outIndex >= 0 && outIndex + 1 < args.Length)
{
    File.WriteAllText(args[outIndex + 1], json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}

Console.WriteLine(json.ToJsonString());
