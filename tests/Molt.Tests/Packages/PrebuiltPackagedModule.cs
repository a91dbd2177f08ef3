using System.Diagnostics;

namespace Molt.Tests.Packages;

/// <summary>
/// A real prebuilt module: a class library built once by <c>dotnet build</c> with
/// <c>EnableDynamicLoading</c>, so its package dependencies (Spectre.Console, managed;
/// Gee.External.Capstone, with a native library per runtime identifier under <c>runtimes/</c>) are
/// copied beside it and described by its <c>.deps.json</c>. Molt.Abstractions is the host's.
/// </summary>
public sealed class PrebuiltPackagedModule : IAsyncLifetime
{
    public const string Name = "PackagedPlugin";

    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <AssemblyName>PackagedPlugin</AssemblyName>
            <EnableDynamicLoading>true</EnableDynamicLoading>
            <Nullable>enable</Nullable>
            <NuGetAudit>false</NuGetAudit>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Spectre.Console" Version="0.49.1" />
            <PackageReference Include="Gee.External.Capstone" Version="2.3.0" />
            <Reference Include="Molt.Abstractions" HintPath="ABSTRACTIONS" Private="false" />
          </ItemGroup>
        </Project>
        """;

    private const string Source = """
        using Gee.External.Capstone;
        using Gee.External.Capstone.X86;

        namespace PackagedPlugin;

        public static class Entry
        {
            [Molt.Export] public static string Escape(string s) => Spectre.Console.Markup.Escape(s);

            [Molt.Export] public static string First(byte[] code)
            {
                using var disassembler = CapstoneDisassembler.CreateX86Disassembler(X86DisassembleMode.Bit64);
                return disassembler.Disassemble(code)[0].Mnemonic;
            }

            [Molt.Export] public static string Where()
            {
                var assembly = typeof(Spectre.Console.Markup).Assembly;
                return System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly)!.Name + "|" + assembly.Location;
            }
        }
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "molt-tests", "prebuilt-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Gets the build output: <c>PackagedPlugin.dll</c>, its <c>.deps.json</c>, Spectre.Console.dll, Gee.External.Capstone.dll, <c>runtimes/…/native/</c>.</summary>
    public string Output => Path.Combine(_root, "out");

    public async Task InitializeAsync()
    {
        var project = Path.Combine(_root, "src");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, Name + ".csproj"), Project.Replace("ABSTRACTIONS", typeof(ExportAttribute).Assembly.Location));
        await File.WriteAllTextAsync(Path.Combine(project, "Entry.cs"), Source);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = project };
        foreach (var argument in new[] { "build", "-c", "Release", "-o", Output, "--disable-build-servers", "-nologo" })
        {
            info.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings must not leak into a separate build.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(cancel.Token);
        Assert.True(process.ExitCode == 0, $"dotnet build failed:\n{await stdout}\n{await stderr}");
    }

    /// <summary>Copies the build output to <paramref name="folder"/>, subfolders included.</summary>
    public void CopyTo(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(Output, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(Output, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
