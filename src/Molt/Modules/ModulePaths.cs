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

        // The listing says which entries are folders (a link is followed): no stat per file.
        var entries = new System.IO.Enumeration.FileSystemEnumerable<(string Path, bool IsFolder)>(
            folder, static (ref System.IO.Enumeration.FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory));
        foreach (var (entry, isFolder) in entries)
        {
            var name = Path.GetFileName(entry);
            if (IsIgnored(name))
            {
                continue;
            }

            if (isFolder)
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
    /// <param name="root">The module root.</param>
    /// <param name="file">The file.</param>
    /// <param name="module">The module's name, for the diagnostic.</param>
    /// <param name="resolved">The directories resolved so far in this scan, so that each is resolved once.</param>
    public static void EnsureInside(string root, string file, string module, Dictionary<string, string>? resolved = null)
    {
        string realRoot, realFile;
        try
        {
            realRoot = RealPath(root, resolved);
            realFile = RealPath(file, resolved);
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
    /// <param name="path">The path.</param>
    /// <param name="resolved">Directories already resolved (by their full path), reused and added to; <see langword="null"/> to resolve every part.</param>
    internal static string RealPath(string path, Dictionary<string, string>? resolved = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Path.GetDirectoryName(full) is not { } parent)
        {
            return full; // the root
        }

        if (resolved is null || !resolved.TryGetValue(parent, out var realParent))
        {
            realParent = RealPath(parent, resolved);
        }

        // Each part is resolved after the parts before it, so a prefix's result never depends on what follows it.
        var next = Path.Combine(realParent, Path.GetFileName(full));
        var isDirectory = Directory.Exists(next);
        FileSystemInfo info = isDirectory ? new DirectoryInfo(next) : new FileInfo(next);
        var target = info.Exists ? info.ResolveLinkTarget(returnFinalTarget: true) : null;
        var real = target is null ? next : Path.GetFullPath(target.FullName);
        if (resolved is not null && isDirectory)
        {
            resolved[full] = real;
        }

        return real;
    }
}
