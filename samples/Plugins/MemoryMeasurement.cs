using System.Globalization;
using System.Runtime.Loader;
using Molt;

namespace Plugins;

/// <summary>
/// Rebuild-reload cycles without the build: copies two prebuilt variants of a plugin over each other
/// in a plugin folder, reloads after each copy, and prints the memory figures. Go plugins cannot be
/// unloaded, so each reload there leaks one; here retired generations are collected and the figures
/// stay flat. <c>--keep-retired</c> turns unloading off (<see cref="MoltOptions.UnloadRetiredGenerations"/>)
/// to show the difference.
/// </summary>
internal static class MemoryMeasurement
{
    public static async Task<int> RunAsync(PluginArguments arguments, TextWriter output)
    {
        if (arguments.Variants.Count != 2)
        {
            output.WriteLine("--measure needs --variants A B: two built plugin folders (Name/Name.dll) of the same plugin.");
            return 2;
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(arguments.Variants[0]));
        var folder = Path.Combine(Path.GetTempPath(), "molt-plugins-measure-" + Guid.NewGuid().ToString("N")[..8]);
        var target = Path.Combine(folder, name);
        try
        {
            CopyVariant(arguments.Variants[0], target);
            var options = new MoltOptions { UnloadRetiredGenerations = !arguments.KeepRetired, WarmUpCompiler = false };
            options.ModuleDirectories.Add(folder);
            await using var engine = new MoltEngine(options);
            await engine.StartAsync();
            var plugin = engine.GetService<IPlugin>(name);
            var versions = new[] { plugin.Current.Version, string.Empty };
            var baseline = Figures.Take();
            output.WriteLine($"MEASURE start: {name} {versions[0]}, unloading {(arguments.KeepRetired ? "off" : "on")}; {baseline}");

            var every = Math.Max(1, arguments.MeasureCycles / 10);
            for (var cycle = 1; cycle <= arguments.MeasureCycles; cycle++)
            {
                CopyVariant(arguments.Variants[cycle % 2], target);
                var result = await engine.ReloadAsync("measure");
                if (!result.Succeeded || result.Changes.Count != 1)
                {
                    output.WriteLine($"MEASURE failed at cycle {cycle}: {result.Error ?? "the copy changed nothing (are the variants identical?)"}");
                    return 1;
                }

                // Call the new generation, so every cycle runs plugin code, not just loads it.
                versions[cycle % 2] = plugin.Current.Version;
                if (cycle % every == 0)
                {
                    output.WriteLine($"MEASURE cycle {cycle}: {Figures.Take()}, retired not yet collected {engine.Manifest.RetiredAlive.Count}");
                }
            }

            await engine.WhenUnloadsVerifiedAsync();
            var end = Figures.Take();
            var retiredAlive = engine.Manifest.RetiredAlive.Count;
            output.WriteLine($"MEASURE versions seen: {string.Join(", ", versions)}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"MEASURE done: cycles={arguments.MeasureCycles} unloading={(arguments.KeepRetired ? "off" : "on")} retired-alive={retiredAlive} load-contexts-added={end.LoadContexts - baseline.LoadContexts} assemblies-added={end.Assemblies - baseline.Assemblies} heap-added-kb={(end.HeapBytes - baseline.HeapBytes) / 1024} working-set-added-kb={(end.WorkingSetBytes - baseline.WorkingSetBytes) / 1024}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void CopyVariant(string variant, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(variant))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    private readonly record struct Figures(int LoadContexts, int Assemblies, long HeapBytes, long WorkingSetBytes)
    {
        public static Figures Take()
        {
            // A measurement, not library code: collect so the heap figure is what is still reachable.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return new Figures(AssemblyLoadContext.All.Count(), AppDomain.CurrentDomain.GetAssemblies().Length, GC.GetTotalMemory(forceFullCollection: false), Environment.WorkingSet);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"load contexts {LoadContexts}, assemblies {Assemblies}, GC heap {HeapBytes / 1024.0 / 1024:0.00} MB, working set {WorkingSetBytes / 1024.0 / 1024:0.0} MB");
    }
}
