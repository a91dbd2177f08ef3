using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Molt.Cli.Tests;

/// <summary>
/// The compile server as users get it: in the installed tool, which <c>molt run</c> starts and
/// compiles through unless told <c>--compile-server off</c>, and in the <c>Molt.CompileServer</c>
/// package, which puts it beside a program. Each test has its own runtime directory, so its own
/// server, killed at its end.
/// </summary>
public sealed partial class PackageInstallTests
{
    [Fact]
    public async Task MoltRunFromTheInstalledToolCompilesThroughTheServerItShipsAndServesTheEdit()
    {
        var tools = await feed.InstalledToolAsync();
        var shipped = ShippedServer(tools);
        using var workspace = new TempWorkspace();
        using var servers = new CompileServers(workspace.RuntimeDirectory);
        workspace.Write("greeter.cs", Served("one"));
        await using var molt = await StartInstalledAsync(tools, workspace);
        await molt.WaitForLineAsync(l => l == "served: one");

        var pid = await servers.WaitForServerAsync();
        Assert.Contains(shipped, CompileServers.CommandLine(pid), StringComparison.Ordinal);
        Assert.Single(servers.Compiled("greeter")); // the first load's

        await EditAsync(molt, workspace, "two", generation: 2);
        Assert.Equal(2, servers.Compiled("greeter").Length);
        Assert.Contains(molt.Errors, l => l.Contains($"Compile server started: {shipped}", StringComparison.Ordinal));
        Assert.DoesNotContain(molt.Errors, l => l.Contains("compiled in-process", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MoltRunWithCompileServerOffStartsNoServer()
    {
        var tools = await feed.InstalledToolAsync();
        using var workspace = new TempWorkspace();
        using var servers = new CompileServers(workspace.RuntimeDirectory);
        workspace.Write("greeter.cs", Served("one"));
        await using var molt = await StartInstalledAsync(tools, workspace, "--compile-server", "off");
        await molt.WaitForLineAsync(l => l == "served: one");

        await EditAsync(molt, workspace, "two", generation: 2);
        Assert.Empty(servers.Files);
        Assert.DoesNotContain(molt.Errors, l => l.Contains("Compile server", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServerKilledBetweenTwoEditsStillGivesASuccessfulReload()
    {
        var tools = await feed.InstalledToolAsync();
        using var workspace = new TempWorkspace();
        using var servers = new CompileServers(workspace.RuntimeDirectory);
        workspace.Write("greeter.cs", Served("one"));
        await using var molt = await StartInstalledAsync(tools, workspace);
        await molt.WaitForLineAsync(l => l == "served: one");
        var pid = await servers.WaitForServerAsync();
        await EditAsync(molt, workspace, "two", generation: 2);
        Assert.Equal(2, servers.Compiled("greeter").Length);

        Signals.Send(pid, 9);
        await CompileServers.WaitForExitAsync(pid);

        // Its socket and pid file stay behind: the engine starts another server or compiles in-process.
        await EditAsync(molt, workspace, "three", generation: 3);
        Assert.False(molt.HasExited);
    }

    [Fact]
    public async Task AProgramOnTheCompileServerPackageGetsTheServerBesideItAndCompilesThroughItWhenAsked()
    {
        using var workspace = new TempWorkspace();
        using var servers = new CompileServers(workspace.RuntimeDirectory);
        var app = WriteApp(workspace, "Molt.CompileServer");
        var output = Path.Combine(app, "out");
        var built = await DotnetCommand.DotnetAsync(app, "build", "-o", output);
        Assert.True(built.ExitCode == 0, built.ToString());
        var server = Path.Combine(output, "Molt.CompileServer.dll");
        Assert.True(File.Exists(server), $"{server} is not in the program's output");
        Assert.True(File.Exists(Path.Combine(output, "Molt.CompileServer.runtimeconfig.json")), "the server's runtimeconfig.json is not in the program's output");
        Assert.Contains($"<dependency id=\"Molt\" version=\"[{feed.Version}]\"", Nuspec("Molt.CompileServer"), StringComparison.Ordinal);

        // Beside the program, but a library host's engine leaves it alone until asked (Off by default).
        foreach (var mode in new[] { "default", "auto" })
        {
            workspace.Write("hello.cs", Greeter.Replace("VERSION", "one", StringComparison.Ordinal));
            var run = await DotnetCommand.RunAsync("dotnet", app, ServerEnvironment(workspace), Path.Combine(output, "app.dll"), workspace.Modules, mode);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(["one world", "reloaded: True", "two world"], run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^3..]);
            if (mode == "default")
            {
                Assert.Empty(servers.Files);
            }
        }

        var pid = await servers.WaitForServerAsync();
        Assert.Contains(server, CompileServers.CommandLine(pid), StringComparison.Ordinal);
        Assert.Equal(2, servers.Compiled("hello").Length); // the start's and the reload's
    }

    /// <summary>A module whose load hook prints which version of it runs.</summary>
    private static string Served(string version) => $$"""
        public sealed class Greeter : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Console.WriteLine("served: {{version}}");
                return ValueTask.CompletedTask;
            }
        }
        """;

    /// <summary>The test's own runtime directory (so its own server) and compilation cache; the server logs each compile.</summary>
    private static Dictionary<string, string> ServerEnvironment(TempWorkspace workspace) => new()
    {
        ["XDG_RUNTIME_DIR"] = workspace.RuntimeDirectory,
        ["XDG_CACHE_HOME"] = Path.Combine(workspace.Root, "cache"),
        ["MOLT_COMPILE_SERVER_TRACE"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>Starts the installed <c>molt run</c> (reloading on SIGUSR1 only, logging the engine's messages) and waits until it serves.</summary>
    private static async Task<MoltRunProcess> StartInstalledAsync(string tools, TempWorkspace workspace, params string[] options)
    {
        var info = new ProcessStartInfo(Path.Combine(tools, "molt")) { UseShellExecute = false };
        foreach (var arg in (string[])["run", workspace.Modules, "--no-watch", "--verbose", .. options])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in ServerEnvironment(workspace))
        {
            info.Environment[name] = value;
        }

        var molt = MoltRunProcess.Start(info);
        await molt.WaitForLineAsync(l => l.StartsWith(Commands.RunCommand.ReadyPrefix, StringComparison.Ordinal));
        return molt;
    }

    private static async Task EditAsync(MoltRunProcess molt, TempWorkspace workspace, string version, int generation)
    {
        workspace.Write("greeter.cs", Served(version));
        molt.Signal(Signals.SigUsr1);
        await molt.WaitForLineAsync(l => l == $"served: {version}");
        await molt.WaitForLineAsync(l => l.Contains($"reloaded generation {generation} ", StringComparison.Ordinal));
    }

    /// <summary>The server in the installed RID-specific package: beside Molt.dll, with its runtimeconfig.json, precompiled.</summary>
    private string ShippedServer(string tools)
    {
        var package = Path.Combine(tools, ".store", "molt.cli", feed.Version, $"molt.cli.{RuntimeInformation.RuntimeIdentifier}");
        var server = Directory.EnumerateFiles(package, "Molt.CompileServer.dll", SearchOption.AllDirectories).Single();
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(server)!, "Molt.dll")), $"{server} is not beside Molt.dll");
        Assert.True(File.Exists(Path.ChangeExtension(server, ".runtimeconfig.json")), $"{server} has no runtimeconfig.json");
        using var pe = new PEReader(File.OpenRead(server));
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{server} is not ReadyToRun");
        return server;
    }

    private string Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        using var reader = new StreamReader(package.GetEntry($"{id}.nuspec")!.Open());
        return reader.ReadToEnd();
    }
}
