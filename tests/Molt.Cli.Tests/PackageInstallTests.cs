using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Molt.Cli.Tests;

/// <summary>
/// What a user gets from the packages, not from the repository: the <c>molt</c> tool installed from
/// a feed, a program built against the packages (not project references) that edits and reloads
/// its module, and <c>dotnet new molt</c>'s project built, tested, run and reloaded.
/// </summary>
public sealed partial class PackageInstallTests(LocalFeed feed) : IClassFixture<LocalFeed>
{
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
        var options = new MoltOptions { ModuleDirectories = { modules } };
        if (args is [_, "auto"])
        {
            options.CompileServer = CompileServerMode.Auto; // otherwise the library's default (Off)
        }

        await using var engine = new MoltEngine(options);
        await engine.StartAsync();
        var greet = engine.GetEntryPoint<Func<string, string>>("hello", "Greet");
        Console.WriteLine(greet.Current("world"));
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"one ", "\"two ", StringComparison.Ordinal));
        var result = await engine.ReloadAsync();
        Console.WriteLine($"reloaded: {result.Succeeded} {result.Error}");
        Console.WriteLine(greet.Current("world"));
        """;

    [Fact]
    public async Task TheToolInstallsAndAProgramBuiltOnThePackagesReloadsItsModule()
    {
        using var workspace = new TempWorkspace();
        var tools = Path.Combine(workspace.Root, "tools");
        var installed = await DotnetCommand.DotnetAsync(workspace.Root,
            "tool", "install", "Molt.Cli", "--version", feed.Version, "--tool-path", tools, "--configfile", feed.NuGetConfig);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        AssertReadyToRunForThisPlatform(tools);
        workspace.Write("hello.cs", Greeter.Replace("VERSION", "one", StringComparison.Ordinal));
        var molt = Path.Combine(tools, "molt");
        var check = await DotnetCommand.RunAsync(molt, workspace.Root, "check", workspace.Modules);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("ok: 1 module(s) compile", check.Output, StringComparison.Ordinal);
        var help = await DotnetCommand.RunAsync(molt, workspace.Root, "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("  molt [command] [options]", help.Output, StringComparison.Ordinal);
        var shown = await DotnetCommand.RunAsync(molt, workspace.Root, "--version");
        Assert.StartsWith(feed.Version, shown.Output.Trim(), StringComparison.Ordinal);

        var app = WriteApp(workspace, "Molt");
        var run = await DotnetCommand.DotnetAsync(app, "run", "--", workspace.Modules);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["one world", "reloaded: True", "two world"], lines[^3..]);
        Assert.True(Directory.Exists(Path.Combine(feed.PackagesFolder, "molt", feed.Version)), "the program did not restore Molt from the feed");
    }

    [Fact]
    public async Task DotnetNewMoltMakesAProjectThatBuildsPassesItsTestAndReloadsWhileItRuns()
    {
        using var workspace = new TempWorkspace();
        var hive = Path.Combine(workspace.Root, "hive");
        var installed = await DotnetCommand.DotnetAsync(workspace.Root, "new", "install", feed.Package("Molt.Templates"), "--debug:custom-hive", hive);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        var project = Path.Combine(workspace.Root, "Demo");
        var created = await DotnetCommand.DotnetAsync(workspace.Root, "new", "molt", "-n", "Demo", "-o", project, "--debug:custom-hive", hive);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains($"\"Molt.Hosting\" Version=\"{feed.Version}\"", File.ReadAllText(Path.Combine(project, "Demo.csproj")), StringComparison.Ordinal);
        File.Copy(feed.NuGetConfig, Path.Combine(project, "nuget.config"));

        var tested = await DotnetCommand.DotnetAsync(project, "test", "Demo.Tests");
        Assert.True(tested.ExitCode == 0, tested.ToString());
        var built = await DotnetCommand.DotnetAsync(project, "build", "Demo.csproj");
        Assert.True(built.ExitCode == 0, built.ToString());

        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = project };
        foreach (var arg in new[] { "run", "--no-build", "--project", "Demo.csproj" })
        {
            info.ArgumentList.Add(arg);
        }

        await using var running = MoltRunProcess.Start(info);
        await running.WaitForLineAsync(l => l.Contains("(2 greetings so far)", StringComparison.Ordinal));
        var hello = Path.Combine(project, "modules", "hello.cs");
        File.WriteAllText(hello, File.ReadAllText(hello).Replace("Hello, ", "Reloaded, ", StringComparison.Ordinal));
        var reloaded = await running.WaitForLineAsync(l => l.StartsWith("Reloaded, world!", StringComparison.Ordinal));
        Assert.DoesNotContain("(1 greetings", reloaded, StringComparison.Ordinal);
    }

    /// <summary>Writes the program <see cref="App"/>, on the package <paramref name="package"/> from the feed, in a folder of the workspace.</summary>
    private string WriteApp(TempWorkspace workspace, string package)
    {
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
                <PackageReference Include="{package}" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), App);
        File.Copy(feed.NuGetConfig, Path.Combine(app, "nuget.config"));
        return app;
    }

    /// <summary>The RID-specific package was installed, with the compiler precompiled (ReadyToRun).</summary>
    private void AssertReadyToRunForThisPlatform(string tools)
    {
        var package = Path.Combine(tools, ".store", "molt.cli", feed.Version, $"molt.cli.{RuntimeInformation.RuntimeIdentifier}");
        Assert.True(Directory.Exists(package), $"{package} was not installed");
        var compiler = Directory.EnumerateFiles(package, "Microsoft.CodeAnalysis.CSharp.dll", SearchOption.AllDirectories).First();
        using var pe = new PEReader(File.OpenRead(compiler));
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{compiler} is not ReadyToRun");
    }
}
