using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Molt.Harness.Infrastructure;

/// <summary>Runs the harness itself as a child process (for figures that need a fresh process).</summary>
internal static class Self
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            info.FileName = process;
            info.ArgumentList.Add(typeof(Self).Assembly.Location);
        }
        else
        {
            info.FileName = process;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>
    /// Runs the harness with <paramref name="args"/> and parses the last line it prints as JSON.
    /// The child's progress (its stderr) is passed on as it comes, prefixed with <paramref name="label"/>,
    /// so a run that lasts an hour shows where it is.
    /// </summary>
    public static async Task<JsonObject> RunJsonAsync(string label, params string[] args)
    {
        using var process = new Process { StartInfo = StartInfo(args) };
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                errors.Enqueue(line);
                while (errors.Count > 50 && errors.TryDequeue(out string? _))
                {
                }

                Console.Error.WriteLine($"[{label}] {line}");
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"harness {string.Join(' ', args)} exited with {process.ExitCode}: {string.Join('\n', errors)}");
        }

        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonNode.Parse(last)!.AsObject();
    }
}
