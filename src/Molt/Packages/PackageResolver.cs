using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Molt.Compilation;

namespace Molt.Packages;

/// <summary>
/// Resolves sets of packages to their assets: from memory, else from the JSON kept in the package
/// cache (while every file it names exists), else by one <c>dotnet restore</c> of a generated
/// project. A set that resolved is never restored again by this process; one that failed is tried
/// again at the next reload that needs it (the network may be back).
/// </summary>
internal sealed class PackageResolver(MoltOptions options, ILogger logger)
{
    private readonly string _directory = Path.GetFullPath(options.PackageCachePath);
    private readonly ConcurrentDictionary<string, ResolvedPackages> _resolved = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<PackageResolution>> _running = new(StringComparer.Ordinal);
    private int _restores;

    /// <summary>Gets how many restores this resolver ran (for tests: a restart on a warm cache runs none).</summary>
    public int Restores => Volatile.Read(ref _restores);

    /// <summary>Resolves <paramref name="set"/>; modules that ask for the same set at the same time share one restore.</summary>
    public PackageResolution Resolve(PackageSet set)
    {
        // The files are checked again: a NuGet cache can be cleared while the process runs.
        if (_resolved.TryGetValue(set.Key, out var known) && known.FilesExist())
        {
            return new PackageResolution(known, []);
        }

        var running = _running.GetOrAdd(set.Key, _ => new Lazy<PackageResolution>(() => ResolveOnce(set), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            var resolution = running.Value;
            if (resolution.Packages is { } packages)
            {
                _resolved[set.Key] = packages;
            }

            return resolution;
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, Lazy<PackageResolution>>(set.Key, running));
        }
    }

    private PackageResolution ResolveOnce(PackageSet set)
    {
        if (PrivateDirectory.Ensure(_directory) is { } problem)
        {
            Log.PackageCacheUnusable(logger, _directory, problem);
            return new PackageResolution(null, [new RestoreError(null, $"The package cache '{_directory}' cannot be used: {problem}.")]);
        }

        var kept = Path.Combine(_directory, set.Key + ".json");
        var started = Stopwatch.GetTimestamp();
        if (ReadKept(kept, set) is { } cached)
        {
            Log.PackagesFromCache(logger, set.Packages.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds, kept);
            return new PackageResolution(cached, []);
        }

        Interlocked.Increment(ref _restores);
        DeleteStaleScratch();
        var resolution = Restore(set);
        if (resolution.Packages is { } packages)
        {
            Keep(kept, packages);
            Log.PackagesRestored(logger, set.Packages.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds, kept);
        }

        return resolution;
    }

    /// <summary>
    /// Restores in a scratch folder of its own, so two processes restoring the same set never share
    /// an <c>obj</c> folder; only the resolved JSON is kept (it names files in the NuGet caches).
    /// </summary>
    private PackageResolution Restore(PackageSet set)
    {
        var scratch = Path.Combine(_directory, $"{set.Key}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(scratch);
            var project = Path.Combine(scratch, "restore.csproj");
            File.WriteAllText(project, RestoreProject.Text(set));
            var errors = DotnetRestore.Run(project, options.PackageRestoreTimeout);
            var assets = Path.Combine(scratch, "obj", "project.assets.json");
            if (errors.Count > 0)
            {
                var logged = AssetsReader.Errors(assets);
                return new PackageResolution(null, logged.Count > 0 ? logged : [.. errors.Select(e => e with { Message = e.Message.Replace(project + " : ", "", StringComparison.Ordinal) })]);
            }

            return new PackageResolution(AssetsReader.Read(assets, set), []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            return new PackageResolution(null, [new RestoreError(null, $"The restore's result could not be read: {ex.Message}")]);
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private static ResolvedPackages? ReadKept(string path, PackageSet set)
    {
        try
        {
            var kept = JsonSerializer.Deserialize(File.ReadAllBytes(path), PackageJson.Default.ResolvedPackages);
            if (kept is not null && kept.Key == set.Key && kept.FilesExist())
            {
                return kept;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            // Missing or damaged: restored again, and rewritten.
        }

        return null;
    }

    /// <summary>Writes the resolution atomically (temporary file, rename); a failure only costs a restore next time.</summary>
    private void Keep(string path, ResolvedPackages packages)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(packages, PackageJson.Default.ResolvedPackages));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.PackageCacheUnusable(logger, path, ex.Message);
            TryDelete(temporary);
        }
    }

    /// <summary>Deletes the scratch folders and temporary files that a process ended in the middle of a restore left (a day old: none is still in use).</summary>
    private void DeleteStaleScratch()
    {
        try
        {
            var before = DateTime.UtcNow.AddDays(-1);
            foreach (var stale in new DirectoryInfo(_directory).EnumerateFileSystemInfos("*.tmp").Where(i => i.LastWriteTimeUtc < before))
            {
                TryDelete(stale.FullName);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only disk is lost.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover scratch folder costs disk only.
        }
    }
}

/// <summary>What resolving a package set gave: its assets, or the restore's errors.</summary>
internal sealed record PackageResolution(ResolvedPackages? Packages, IReadOnlyList<RestoreError> Errors);
