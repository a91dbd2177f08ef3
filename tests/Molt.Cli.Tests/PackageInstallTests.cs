namespace Molt.Cli.Tests;

/// <summary>
/// What a user gets from the packages, not from the repository: every package packed into a local
/// feed, the <c>molt</c> tool installed from it, and a program built against the packages (not
/// project references) that starts an engine, edits its module and reloads it.
/// </summary>
public sealed class PackageInstallTests
{
    private static readonly string[] Packages = ["Molt.Abstractions", "Molt", "Molt.Control", "Molt.Hosting", "Molt.Cli"];

    private const string Greeter = """
        namespace Hello;
        public static class Greeter
        {
            [Export]
            public static string Greet(string name) => $"VERSION {name}";
        }
        """;

    private const string App = """
        using Molt;

        var modules = args[0];
        var file = Path.Combine(modules, "hello.cs");
        await using var engine = new MoltEngine(new MoltOptions { ModuleDirectories = { modules } });
        await engine.StartAsync();
        var greet = engine.GetEntryPoint<Func<string, string>>("hello", "Greet");
        Console.WriteLine(greet.Current("world"));
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"one ", "\"two ", StringComparison.Ordinal));
        var result = await engine.ReloadAsync();
        Console.WriteLine($"reloaded: {result.Succeeded} {result.Error}");
        Console.WriteLine(greet.Current("world"));
        """;

    [Fact]
    public async Task ThePackagesInstallTheToolAndBuildAProgramThatReloadsItsModule()
    {
        using var workspace = new TempWorkspace();
        var version = $"0.0.0-test.{Guid.NewGuid():N}"[..24];
        var feed = Directory.CreateDirectory(Path.Combine(workspace.Root, "feed")).FullName;

        // Packed from a copy of the sources: a build here must not share obj/ with the tests' own.
        var sources = CopySources(Path.Combine(workspace.Root, "repo"));
        foreach (var package in Packages)
        {
            var packed = await DotnetCommand.DotnetAsync(sources,
                "pack", Path.Combine("src", package, package + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}");
            Assert.True(packed.ExitCode == 0, packed.ToString());
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.nupkg")), $"{package} was not packed: {packed}");
        }

        // The packages resolve from the feed only, into a packages folder of their own (no stale
        // copy from an earlier run); everything else from the machine's cache, or nuget.org.
        var config = WriteNuGetConfig(workspace.Root, feed);

        var tools = Path.Combine(workspace.Root, "tools");
        var installed = await DotnetCommand.DotnetAsync(workspace.Root,
            "tool", "install", "Molt.Cli", "--version", version, "--tool-path", tools, "--configfile", config);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        workspace.Write("hello.cs", Greeter.Replace("VERSION", "one", StringComparison.Ordinal));
        var check = await DotnetCommand.RunAsync(Path.Combine(tools, "molt"), workspace.Root, "check", workspace.Modules);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("ok: 1 module(s) compile", check.Output, StringComparison.Ordinal);
        var help = await DotnetCommand.RunAsync(Path.Combine(tools, "molt"), workspace.Root, "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("  molt [command] [options]", help.Output, StringComparison.Ordinal);
        var shown = await DotnetCommand.RunAsync(Path.Combine(tools, "molt"), workspace.Root, "--version");
        Assert.StartsWith(version, shown.Output.Trim(), StringComparison.Ordinal);

        var app = Directory.CreateDirectory(Path.Combine(workspace.Root, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TieredPGO>false</TieredPGO>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Molt" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), App);
        File.Copy(config, Path.Combine(app, "nuget.config"));
        var run = await DotnetCommand.DotnetAsync(app, "run", "--", workspace.Modules);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["one world", "reloaded: True", "two world"], lines[^3..]);
        Assert.True(Directory.Exists(Path.Combine(workspace.Root, "packages", "molt", version)), "the program did not restore Molt from the feed");
    }

    private static string CopySources(string target)
    {
        var root = DotnetCommand.RepositoryRoot;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "LICENSE" })
        {
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(root, file), Path.Combine(target, file));
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    private static string WriteNuGetConfig(string root, string feed)
    {
        var global = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "nuget.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(root, "packages")}" />
              </config>
              <fallbackPackageFolders>
                <add key="machine" value="{global}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="molt" value="{feed}" />
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
        return path;
    }
}
