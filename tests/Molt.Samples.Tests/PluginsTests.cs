using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Molt.Samples.Tests;

/// <summary>Builds HelloPlugin for real with <c>dotnet build</c>; one class, so the builds (sharing the plugin's obj folder) never overlap.</summary>
public sealed partial class PluginsTests : IClassFixture<PluginsTests.Variants>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly Variants _variants;

    public PluginsTests(Variants variants) => _variants = variants;

    [Fact]
    public async Task APluginIsLoadedReloadedWhenRebuiltInPlaceAndUnloadedWhenDeleted()
    {
        var plugins = Path.Combine(Path.GetTempPath(), "molt-samples", Guid.NewGuid().ToString("N")[..12], "plugins");
        var hello = Path.Combine(plugins, "HelloPlugin");
        CopyDirectory(await _variants.BuildAsync("1.0.0"), hello);
        await using var sample = SampleProcess.Start("Plugins", plugins);
        await sample.WaitForLineAsync(l => l.StartsWith("MANIFEST generation 1: 1 plugin(s)", StringComparison.Ordinal), Timeout);
        var v1 = await sample.WaitForLineAsync(l => l.Contains("HelloPlugin: id=hello", StringComparison.Ordinal), Timeout);
        Assert.Matches(@"version=1\.0\.0 module-generation=1 hash=[0-9a-f]{12} says ""hello, molt""", v1);

        // Rebuilt in place by dotnet build while the host has it loaded: the file is not locked.
        var rebuiltFrom = sample.Lines.Count;
        await Variants.DotnetBuildAsync(hello, "2.0.0", restore: false);
        var v2 = await sample.WaitForLineAsync(l => l.Contains("HelloPlugin: id=hello version=2.0.0", StringComparison.Ordinal), Timeout, rebuiltFrom);
        Assert.DoesNotMatch(@"module-generation=1 ", v2);
        Assert.NotEqual(HashPattern().Match(v1).Value, HashPattern().Match(v2).Value);

        // Deleted: unloaded, and its generations are collected.
        var deletedFrom = sample.Lines.Count;
        Directory.Delete(hello, recursive: true);
        await sample.WaitForLineAsync(l => l.StartsWith("RELOADED", StringComparison.Ordinal) && l.Contains("HelloPlugin removed", StringComparison.Ordinal), Timeout, deletedFrom);
        await sample.WaitForLineAsync(l => Regex.IsMatch(l, @"^MANIFEST generation \d+: 0 plugin\(s\)"), Timeout, deletedFrom);
        await sample.WaitForLineAsync(l => l.StartsWith("UNLOADED HelloPlugin", StringComparison.Ordinal), Timeout, deletedFrom);
        Assert.DoesNotContain(sample.Lines.Skip(deletedFrom), l => l.StartsWith("RELOAD FAILED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManyRebuildReloadCyclesLeaveNoLoadContextBehindUnlessUnloadingIsOff()
    {
        var v1 = await _variants.BuildAsync("1.0.0");
        var v2 = await _variants.BuildAsync("2.0.0");
        const int Cycles = 200;

        var unloading = await MeasureAsync(Cycles, v1, v2);
        Assert.Equal(0, unloading["retired-alive"]);
        Assert.Equal(0, unloading["load-contexts-added"]);

        // The seeds' behaviour (Go plugins cannot be unloaded): one load context and assembly more per cycle.
        var keeping = await MeasureAsync(Cycles, v1, v2, "--keep-retired");
        Assert.Equal(Cycles, keeping["load-contexts-added"]);
        Assert.True(keeping["assemblies-added"] >= Cycles, $"assemblies-added={keeping["assemblies-added"]}");
    }

    private static async Task<Dictionary<string, long>> MeasureAsync(int cycles, string v1, string v2, params string[] extra)
    {
        await using var sample = SampleProcess.Start("Plugins", ["--measure", cycles.ToString(CultureInfo.InvariantCulture), "--variants", v1, v2, .. extra]);
        Assert.True(await sample.WaitForExitAsync(Timeout) == 0, sample.Output);
        Assert.Contains("MEASURE versions seen: 1.0.0, 2.0.0", sample.Lines);
        var done = sample.Lines.Single(l => l.StartsWith("MEASURE done:", StringComparison.Ordinal));
        Assert.Contains($"cycles={cycles} ", done, StringComparison.Ordinal);
        return FigurePattern().Matches(done).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex(@"hash=[0-9a-f]+")]
    private static partial Regex HashPattern();

    [GeneratedRegex(@"([a-z-]+)=(-?\d+)")]
    private static partial Regex FigurePattern();

    /// <summary>HelloPlugin built once per version into a temporary folder (HelloPlugin/HelloPlugin.dll).</summary>
    public sealed class Variants : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "molt-samples", Guid.NewGuid().ToString("N")[..12]);
        private readonly Dictionary<string, string> _built = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _gate = new(1);
        private bool _restored;

        public async Task<string> BuildAsync(string version)
        {
            await _gate.WaitAsync();
            try
            {
                if (!_built.TryGetValue(version, out var folder))
                {
                    folder = Path.Combine(_root, version, "HelloPlugin");
                    await DotnetBuildAsync(folder, version, restore: !_restored);
                    _restored = true;
                    _built.Add(version, folder);
                }

                return folder;
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Runs <c>dotnet build</c> of HelloPlugin into <paramref name="output"/>, without build servers that would outlive the test.</summary>
        public static async Task DotnetBuildAsync(string output, string version, bool restore)
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "build", Path.Combine(SamplePaths.Directory("Plugins"), "HelloPlugin", "HelloPlugin.csproj"), "-c", configuration, "-o", output, "-p:PluginVersion=" + version, "--disable-build-servers", "-nologo" })
            {
                info.ArgumentList.Add(argument);
            }

            if (!restore)
            {
                info.ArgumentList.Add("--no-restore");
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
            Assert.True(File.Exists(Path.Combine(output, "HelloPlugin.dll")));
        }

        public void Dispose()
        {
            _gate.Dispose();
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
    }
}
