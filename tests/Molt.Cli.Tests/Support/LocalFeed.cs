using System.Runtime.InteropServices;

namespace Molt.Cli.Tests;

/// <summary>
/// Every package of the repository (and the template package), packed once for the tests that use
/// them as a user would: a NuGet folder feed with a version of its own, and a nuget.config that
/// takes Molt's packages from the feed only, into a packages folder of its own (no stale copy from
/// an earlier run), and everything else from the machine's cache or nuget.org.
/// </summary>
public sealed class LocalFeed : IAsyncLifetime, IDisposable
{
    private static readonly string[] Projects =
        ["src/Molt.Abstractions", "src/Molt", "src/Molt.Control", "src/Molt.Hosting", "src/Molt.AspNetCore", "src/Molt.CompileServer", "src/Molt.Cli", "templates/Molt.Templates"];

    private readonly TempWorkspace _workspace = new();
    private readonly Lazy<Task<string>> _tools;

    public LocalFeed() => _tools = new(InstallToolAsync);

    public string Version { get; } = $"0.0.0-test.{Guid.NewGuid():N}"[..24];

    public string Root => _workspace.Root;

    public string Directory => Path.Combine(Root, "feed");

    public string NuGetConfig => Path.Combine(Root, "nuget.config");

    public string PackagesFolder => Path.Combine(Root, "packages");

    public string Package(string id) => Path.Combine(Directory, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        // Packed from a copy of the sources: a build here must not share obj/ with the tests' own.
        var sources = CopySources(Path.Combine(Root, "repo"));
        foreach (var project in Projects)
        {
            // The tool is packed ReadyToRun for this machine's platform only (and the portable
            // fallback): crossgen for four platforms would take minutes.
            var packed = await DotnetCommand.DotnetAsync(sources, "pack", project, "-c", "Release", "-o", Directory, $"-p:Version={Version}",
                $"-p:MoltToolRuntimeIdentifiers={RuntimeInformation.RuntimeIdentifier}");
            Assert.True(packed.ExitCode == 0, packed.ToString());
        }

        WriteNuGetConfig();
    }

    /// <summary>
    /// The tool installed from the feed once, into a folder of its own, for the tests that run it
    /// (the test of the install itself installs its own); returns the folder (its <c>molt</c>, its <c>.store</c>).
    /// </summary>
    public Task<string> InstalledToolAsync() => _tools.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _workspace.Dispose();

    private async Task<string> InstallToolAsync()
    {
        var tools = Path.Combine(Root, "tools");
        var installed = await DotnetCommand.DotnetAsync(Root, "tool", "install", "Molt.Cli", "--version", Version, "--tool-path", tools, "--configfile", NuGetConfig);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        return tools;
    }

    private static string CopySources(string target)
    {
        var root = DotnetCommand.RepositoryRoot;
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "LICENSE" })
        {
            File.Copy(Path.Combine(root, file), Path.Combine(target, file));
        }

        foreach (var folder in new[] { "src", "templates" })
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                var destination = Path.Combine(target, relative);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }

        return target;
    }

    private void WriteNuGetConfig()
    {
        var machine = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
              <fallbackPackageFolders>
                <add key="machine" value="{machine}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="molt" value="{Directory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="molt">
                  <package pattern="Molt" />
                  <package pattern="Molt.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }
}
