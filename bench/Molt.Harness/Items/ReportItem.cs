using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Gathers the JSON of every item run by <c>bench/run</c> into one file and a Markdown table
/// (figure, target, met), with the date, the machine and its load while measuring.
/// </summary>
internal static class ReportItem
{
    private static readonly string[] s_order = ["calls", "calls-full", "latency", "latency-r2r", "latency-steady", "latency-steady-r2r", "watch", "memory", "memory-full", "memory-10k", "memory-10k-body", "downtime", "coldstart", "writers", "restart", "profile"];

    public static JsonObject Run(Options options)
    {
        var input = options.Get("--in") ?? throw new ArgumentException("--in is required");
        var markdown = options.Get("--md") ?? throw new ArgumentException("--md is required");
        var items = new JsonObject();
        foreach (var name in s_order)
        {
            var path = Path.Combine(input, name + ".json");
            if (File.Exists(path))
            {
                items[name] = JsonNode.Parse(File.ReadAllText(path));
            }
        }

        var machine = new JsonObject
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["cpu"] = Cpu(),
            ["cores"] = Environment.ProcessorCount,
            ["memory_gb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0, 1),
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };
        var json = new JsonObject
        {
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            ["command"] = options.Get("--command") ?? "bench/run",
            ["commit"] = options.Get("--commit") ?? string.Empty,
            ["load_before"] = options.Get("--load-before") ?? string.Empty,
            ["load_after"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : string.Empty,
            ["machine"] = machine,
            ["items"] = items,
        };

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {json["date"]} with `{json["command"]}` on {machine["cpu"]}, {machine["cores"]} cores, {machine["memory_gb"]} GB, {machine["os"]}, {machine["runtime"]}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Engine at commit {json["commit"]}. Load average (1, 5, 15 min) before: {json["load_before"]}; after: {json["load_after"]}.");
        md.AppendLine();
        md.AppendLine("Each item's own command and the load average when it finished:");
        md.AppendLine();
        foreach (var (name, item) in items)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {name}: `{item!["command"]}` at {item["measured_at"]}, load {item["load_average"]}");
        }
        md.AppendLine();
        md.AppendLine("| item | what | figure | target | met |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var (_, item) in items)
        {
            foreach (var row in item!["rows"]?.AsArray() ?? [])
            {
                var met = row!["met"] is null ? string.Empty : (bool)row["met"]! ? "yes" : "**no**";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row["item"]} | {Escape(row["what"])} | {Escape(row["value"])} | {Escape(row["target"])} | {met} |");
            }
        }

        File.WriteAllText(markdown, md.ToString());
        return json;
    }

    private static string Escape(JsonNode? node) => (node?.GetValue<string>() ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Cpu()
    {
        const string Key = "model name";
        return File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
    }
}
