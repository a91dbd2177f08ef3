using System.ComponentModel;
using System.Diagnostics;
using Molt.Reloading;

namespace Molt.Packages;

/// <summary>
/// Runs <c>dotnet restore</c> on a restore project, bounded by a timeout. NuGet's dependency
/// resolution (transitive packages, version ranges, the framework and runtime-specific assets) is
/// the SDK's; Molt only reads what it decided.
/// </summary>
internal static class DotnetRestore
{
    /// <summary>
    /// The <c>dotnet</c> to run: the one the SDK says it runs under (<c>DOTNET_HOST_PATH</c>), the
    /// process's own when the host was started as <c>dotnet app.dll</c>, else <c>dotnet</c> on the path.
    /// </summary>
    public static string Command =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>Restores <paramref name="project"/>; returns the errors, none on success.</summary>
    public static IReadOnlyList<RestoreError> Run(string project, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };
        foreach (var argument in new[] { "restore", project, "--nologo", "--disable-build-servers", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }

        // A host started by 'dotnet run' or 'dotnet test' carries that build's MSBuild settings,
        // which would misdirect a separate restore.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return Run(info, timeout);
    }

    private static IReadOnlyList<RestoreError> Run(ProcessStartInfo info, TimeSpan timeout)
    {
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            return [new RestoreError(null, $"'{info.FileName}' could not be started ({ex.Message}): packages are restored by the .NET SDK, which must be installed (dotnet on the PATH, or DOTNET_HOST_PATH).")];
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);

                    // Gone before its scratch folder is deleted.
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }

                return [new RestoreError(null, $"The restore did not finish within {timeout.TotalSeconds:0.###} s (PackageRestoreTimeout) and was stopped.")];
            }

            process.WaitForExit();
            if (process.ExitCode == 0)
            {
                return [];
            }

            var text = (output.Result + "\n" + error.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var errors = text.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).DefaultIfEmpty(string.Join('\n', text)).ToArray();
            return [new RestoreError(null, Texts.Bounded($"dotnet restore failed (exit code {process.ExitCode}): {string.Join('\n', errors.Take(20))}"))];
        }
    }
}
