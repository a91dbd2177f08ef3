namespace Molt.Hosting.Triggers;

/// <summary>A directory to watch: a module directory, a folder module, or the folder holding a single-file module.</summary>
/// <param name="Directory">The full path of the directory.</param>
/// <param name="SingleFile">For a single-file module, its full path: only it is relevant in <paramref name="Directory"/>.</param>
internal sealed record WatchTarget(string Directory, string? SingleFile)
{
    /// <summary>Lists what to watch for the engine's module directories and modules.</summary>
    public static IReadOnlyList<WatchTarget> From(MoltOptions options)
    {
        var targets = new List<WatchTarget>();
        foreach (var directory in options.ModuleDirectories)
        {
            targets.Add(new WatchTarget(Path.GetFullPath(directory), null));
        }

        foreach (var module in options.Modules)
        {
            var full = Path.GetFullPath(module).TrimEnd(Path.DirectorySeparatorChar);
            targets.Add(System.IO.Directory.Exists(full)
                ? new WatchTarget(full, null)
                : new WatchTarget(Path.GetDirectoryName(full)!, full));
        }

        return targets;
    }

    /// <summary>Whether a single-file target watches its folder without subfolders.</summary>
    public bool Recursive => SingleFile is null;
}
