namespace Molt.Modules;

/// <summary>Rules for which paths are part of a module, and the check that keeps modules inside their roots.</summary>
internal static class ModulePaths
{
    /// <summary>
    /// Whether a file or folder name is never part of a module: build outputs, hidden files, and
    /// the temporary files editors write while saving (vim's <c>4913</c> and swap files, emacs'
    /// <c>#x#</c> and <c>.#x</c>, backup files ending in <c>~</c>, <c>.tmp</c>).
    /// </summary>
    public static bool IsIgnored(string name) =>
        name.Length == 0
        || name[0] == '.'
        || name is "bin" or "obj" or "4913"
        || name[^1] == '~'
        || (name[0] == '#' && name[^1] == '#')
        || name.EndsWith(".swp", StringComparison.Ordinal)
        || name.EndsWith(".swx", StringComparison.Ordinal)
        || name.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>The C# files of a folder module, recursively, skipping ignored names.</summary>
    /// <remarks>Each real directory is visited once, so a symbolic link cycle cannot make the scan loop.</remarks>
    public static IEnumerable<string> EnumerateSources(string folder) =>
        Walk(folder, new HashSet<string>(StringComparer.Ordinal)).Where(e => !e.IsFolder).Select(e => e.Path);

    /// <summary>A folder module's folders: itself, then its subfolders recursively, skipping ignored names.</summary>
    public static IEnumerable<string> EnumerateFolders(string folder) =>
        Walk(folder, new HashSet<string>(StringComparer.Ordinal)).Where(e => e.IsFolder).Select(e => e.Path);

    private static IEnumerable<(string Path, bool IsFolder)> Walk(string folder, HashSet<string> visited)
    {
        if (!visited.Add(RealPath(folder)))
        {
            yield break;
        }

        yield return (folder, true);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(entry);
            if (IsIgnored(name))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                foreach (var nested in Walk(entry, visited))
                {
                    yield return nested;
                }
            }
            else if (name.EndsWith(".cs", StringComparison.Ordinal))
            {
                yield return (entry, false);
            }
        }
    }

    /// <summary>
    /// Refuses a file that resolves (through symbolic links or <c>..</c>) to a place outside its
    /// root: a module directory must not become a way to compile and run arbitrary files.
    /// </summary>
    public static void EnsureInside(string root, string file, string module)
    {
        string realRoot, realFile;
        try
        {
            realRoot = RealPath(root);
            realFile = RealPath(file);
        }
        catch (IOException ex)
        {
            throw new ModuleScanException(new ModuleDiagnostic(module, file, 0, 0, MoltDiagnosticIds.FileUnreadable, DiagnosticSeverity.Error, $"Cannot resolve the path: {ex.Message}"));
        }

        var prefix = realRoot.EndsWith(Path.DirectorySeparatorChar) ? realRoot : realRoot + Path.DirectorySeparatorChar;
        if (!realFile.StartsWith(prefix, StringComparison.Ordinal) && realFile != realRoot)
        {
            throw new ModuleScanException(new ModuleDiagnostic(module, file, 0, 0, MoltDiagnosticIds.OutsideModuleRoot, DiagnosticSeverity.Error,
                $"'{file}' resolves to '{realFile}', outside the module root '{realRoot}'; refused."));
        }
    }

    /// <summary>Resolves every symbolic link along a path (the path's parts may be links too).</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(full)!;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            var target = info.Exists ? info.ResolveLinkTarget(returnFinalTarget: true) : null;
            current = target is null ? next : Path.GetFullPath(target.FullName);
        }

        return current;
    }
}
