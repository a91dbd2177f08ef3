using System.Diagnostics;
using System.Text.Json;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>The built <c>molt</c> tool (src/Molt.Cli), run as a real process to its end.</summary>
internal static class MoltCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Locate());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Runs a command with <c>--json</c> that must succeed, and returns its document.</summary>
    public static async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var (exit, output, errors) = await RunAsync([.. arguments, "--json"]);
        Assert.True(exit == 0, $"molt {string.Join(' ', arguments)} exited {exit}: {output}{errors}");
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    private static string Locate()
    {
        // …/tests/Molt.AspNetCore.Tests/bin/<Configuration>/net10.0/ → src/Molt.Cli/bin/<Configuration>/net10.0/Molt.Cli.dll
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Molt.slnx")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? "", "src", "Molt.Cli", "bin", output.Parent!.Name, output.Name, "Molt.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The molt tool is not built: {path} is missing.", path);
    }
}
