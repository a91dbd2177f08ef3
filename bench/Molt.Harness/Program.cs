using System.Text.Json;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;
using Molt.Harness.Items;

// Molt.Harness COMMAND [--full] [--out FILE]: runs one item and prints its JSON (last line of
// stdout, and to FILE). Human-readable progress goes to stderr.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Molt.Harness latency|watch|memory|downtime|coldstart|profile|writers|restart|report [--full] [--out FILE]");
    return 2;
}

var options = new Options(args);
JsonObject json = args[0] switch
{
    "latency" => await LatencyItem.RunAsync(options),
    "first-edit" => await FirstEditItem.ChildAsync(options),
    "watch" => await WatchItem.RunAsync(options),
    "watch-host" => await WatchItem.HostAsync(options),
    "memory" => await MemoryItem.RunAsync(options),
    "memory-run" => await MemoryItem.ChildAsync(options),
    "downtime" => await DowntimeItem.RunAsync(options),
    "coldstart" => await ColdStartItem.RunAsync(options),
    "cold-host" => await ColdStartItem.HostAsync(options),
    "profile" => await ProfileItem.RunAsync(options),
    "writers" => await WritersItem.RunAsync(options),
    "restart" => await RestartItem.RunAsync(options),
    "report" => ReportItem.Run(options),
    _ => throw new ArgumentException($"unknown command '{args[0]}'"),
};

json["command"] = "dotnet Molt.Harness.dll " + string.Join(' ', args);
json["compile_server"] = Environment.GetEnvironmentVariable("MOLT_BENCH_COMPILE_SERVER") is "auto"
    ? Environment.GetEnvironmentVariable("MOLT_COMPILE_SERVER") ?? "auto"
    : "off";
json["measured_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
json["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : string.Empty;
var text = json.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
if (options.Out is { } path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}

Console.WriteLine(text);
return 0;
