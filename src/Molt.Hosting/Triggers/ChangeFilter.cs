namespace Molt.Hosting.Triggers;

/// <summary>
/// Decides which file events matter: module sources and assemblies, never build outputs, hidden
/// files or editor temporaries; and which leave the files looking half-saved.
/// </summary>
/// <remarks>
/// The ignore rules are the engine's own (<see cref="Modules.ModulePaths.IsIgnored"/>), so the
/// watcher never reloads for a file the engine would not read, and the two cannot drift apart.
/// </remarks>
internal static class ChangeFilter
{
    /// <summary>Whether a file or folder name is never part of a module.</summary>
    public static bool IsIgnoredName(string name) => Modules.ModulePaths.IsIgnored(name);

    /// <summary>Whether a path under a watched target may be part of a module.</summary>
    public static bool IsRelevant(WatchTarget target, string? fullPath)
    {
        if (string.IsNullOrEmpty(fullPath))
        {
            return false;
        }

        if (target.SingleFile is { } single)
        {
            return string.Equals(fullPath, single, StringComparison.Ordinal);
        }

        var relative = Path.GetRelativePath(target.Directory, fullPath);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            if (IsIgnoredName(segment))
            {
                return false;
            }
        }

        // Sources, prebuilt modules and their symbols; a name without an extension is usually a folder module.
        var extension = Path.GetExtension(relative);
        return extension.Length == 0 || extension is ".cs" or ".dll" or ".pdb";
    }

    /// <summary>
    /// Whether a relevant change leaves the module files looking half-saved: a file that is gone or
    /// empty is what delete-then-create, rename-to-backup and truncate-then-write pass through.
    /// </summary>
    public static bool LooksMidSave(string fullPath)
    {
        try
        {
            var file = new FileInfo(fullPath);
            if (file.Exists)
            {
                return file.Length == 0;
            }

            return !Directory.Exists(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
