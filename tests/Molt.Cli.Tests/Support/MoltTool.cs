using System.Diagnostics;

namespace Molt.Cli.Tests;

/// <summary>Runs the built <c>molt</c> tool (<c>dotnet Molt.Cli.dll …</c>) as a real process.</summary>
internal static class MoltTool
{
    private static readonly Lazy<string> s_path = new(Locate);

    /// <summary>The tool's entry assembly, built by the project reference.</summary>
    public static string Path => s_path.Value;

    public static ProcessStartInfo StartInfo(string runtimeDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The build output has the compile server beside the tool, as the package does, and molt run
        // would start one per test (each has its own runtime directory), living 10 idle minutes. These
        // tests are about molt run, not the server: in-process unless a test asks
        // (PackageInstallTests runs the installed tool with its server).
        if (args is ["run", ..] && !args.Contains("--compile-server"))
        {
            info.ArgumentList.Add("--compile-server");
            info.ArgumentList.Add("off");
        }

        // Each test has its own runtime directory, so discovery never sees another test's process.
        info.Environment["XDG_RUNTIME_DIR"] = runtimeDirectory;

        // ...and its own compilation cache, so no test reads another's entries or writes to $HOME.
        info.Environment["XDG_CACHE_HOME"] = System.IO.Path.Combine(runtimeDirectory, "cache");
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>Runs a client command to its end.</summary>
    public static async Task<CliResult> RunAsync(string runtimeDirectory, params string[] args)
    {
        using var process = Process.Start(StartInfo(runtimeDirectory, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"molt {string.Join(' ', args)} did not exit within {TestTimeouts.Process}.");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    private static string Locate()
    {
        // Same configuration as the tests: …/tests/Molt.Cli.Tests/bin/<Configuration>/net10.0/
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = baseDirectory.Parent!.Name;
        var root = baseDirectory;
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Molt.slnx")))
        {
            root = root.Parent;
        }

        var candidates = new[]
        {
            root is null ? null : System.IO.Path.Combine(root.FullName, "src", "Molt.Cli", "bin", configuration, baseDirectory.Name, "Molt.Cli.dll"),
            System.IO.Path.Combine(baseDirectory.FullName, "Molt.Cli.dll"),
        };
        return candidates.FirstOrDefault(c => c is not null && File.Exists(c) && File.Exists(System.IO.Path.ChangeExtension(c, ".runtimeconfig.json")))
            ?? throw new FileNotFoundException($"The molt tool is not built; looked for {string.Join(", ", candidates)}.");
    }
}
