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

    /// <summary>Runs the harness with <paramref name="args"/> and parses the last line it prints as JSON.</summary>
    public static async Task<JsonObject> RunJsonAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"harness {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }

        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonNode.Parse(last)!.AsObject();
    }
}
