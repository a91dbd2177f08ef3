using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Molt.Modules;

/// <summary>
/// Finds the modules under the configured roots, reads their files and hashes them. Change
/// detection is by content hash, never by timestamp, so a save that rewrites the same bytes is
/// no change and a change within the same second is never missed. A file the kernel says is
/// unchanged since an earlier scan read it (<see cref="ReadCache"/>) is not read again.
/// </summary>
internal sealed class ModuleScanner(MoltOptions options)
{
    /// <summary>How many times at least a scan starts over when files it already read changed while it read others.</summary>
    private const int Attempts = 5;

    /// <summary>
    /// How long at least a scan keeps starting over before it reports the files as unstable: a
    /// <c>git checkout</c> on a loaded machine can pause longer than five quiet periods mid-way.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    private readonly StableFileReader _reader = new(options);
    private readonly QuietDirectories _quiet = new(options);

    /// <summary>
    /// Reads every module. The result is one consistent view: each file was stable when read, and
    /// none changed by the time the last was read (a <c>git checkout</c> of many files in progress
    /// makes the scan start over rather than mix old and new files).
    /// </summary>
    /// <exception cref="ModuleScanException">A module directory is missing, a path is not a module, or two modules share a name.</exception>
    /// <param name="diagnostics">Receives what could not be read.</param>
    /// <param name="mode">How to wait for files written a moment ago.</param>
    public IReadOnlyList<ModuleSource> Scan(List<ModuleDiagnostic> diagnostics, ReadMode mode = ReadMode.Quiet)
    {
        var roots = options.ModuleDirectories.Select(Path.GetFullPath).ToArray();
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            var rootStamps = _quiet.Await(roots);
            var found = Find();
            var readDiagnostics = new List<ModuleDiagnostic>();
            var modules = ReadAll(found, readDiagnostics, mode);
            var changing = modules.Where(m => !m.IsCurrent).ToArray();

            // A file listed and then gone before it was read (deleted, or deleted to be written again
            // by a git checkout) is reported by the reader as unstable; or a module directory whose
            // entries changed since it was listed.
            var vanished = readDiagnostics.Exists(d => d.Id == MoltDiagnosticIds.FilesUnstable)
                || !QuietDirectories.Stamps(roots).SequenceEqual(rootStamps);
            if ((changing.Length == 0 && !vanished) || (attempt >= Attempts && DateTime.UtcNow - started >= Patience))
            {
                _reader.Cache.KeepOnly(modules.SelectMany(m => m.FilePaths));
                // Still changing after the last attempt: the view is not consistent, so the reload must not use it.
                diagnostics.AddRange(readDiagnostics);
                diagnostics.AddRange(changing.Select(m => Error(m.Name, m.Path, MoltDiagnosticIds.FilesUnstable,
                    $"The module's files kept changing while {Attempts} scans read them; the reload waits for them to settle.")));
                return modules;
            }
        }
    }

    private List<Candidate> Find()
    {
        var found = new List<Candidate>();
        foreach (var directory in options.ModuleDirectories)
        {
            found.AddRange(FindIn(Path.GetFullPath(directory)));
        }

        foreach (var module in options.Modules)
        {
            found.Add(Single(module));
        }

        var duplicates = found.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicates is not null)
        {
            // An ordering prefix is not part of the name, so 0010_mud.cs and 0020_mud.cs (or mud.cs and 0010_mud/) collide.
            var prefixed = duplicates.Any(d => ModuleNames.HasPrefix(Path.GetFileNameWithoutExtension(d.Path.TrimEnd(Path.DirectorySeparatorChar))));
            throw new ModuleScanException(Error(duplicates.Key, null, MoltDiagnosticIds.DuplicateModuleName,
                $"Module name '{duplicates.Key}' is used twice: {string.Join(" and ", duplicates.Select(d => d.Path))}." +
                (prefixed ? " A leading ordering prefix (digits and '_' or '-', as in 0010_) is not part of a module's name: rename one of them." : string.Empty)));
        }

        return found;
    }

    private static IEnumerable<Candidate> FindIn(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new ModuleScanException(Error(null, root, MoltDiagnosticIds.ModuleDirectoryMissing, $"Module directory '{root}' does not exist."));
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (ModulePaths.IsIgnored(name))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                if (ClassifyFolder(entry) is { } kind)
                {
                    yield return new Candidate(ModuleNames.Of(name), kind, entry, root);
                }
            }
            else if (entry.EndsWith(".cs", StringComparison.Ordinal))
            {
                yield return new Candidate(ModuleNames.Of(Path.GetFileNameWithoutExtension(name)), ModuleKind.SourceFile, entry, root);
            }
            else if (entry.EndsWith(".dll", StringComparison.Ordinal))
            {
                yield return new Candidate(ModuleNames.Of(Path.GetFileNameWithoutExtension(name)), ModuleKind.Assembly, entry, root);
            }
        }
    }

    private static Candidate Single(string module)
    {
        var full = Path.GetFullPath(module);
        var root = Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
        var name = ModuleNames.Of(Path.GetFileNameWithoutExtension(full.TrimEnd(Path.DirectorySeparatorChar)));
        ModuleKind? kind = Directory.Exists(full) ? ClassifyFolder(full)
            : File.Exists(full) && full.EndsWith(".cs", StringComparison.Ordinal) ? ModuleKind.SourceFile
            : File.Exists(full) && full.EndsWith(".dll", StringComparison.Ordinal) ? ModuleKind.Assembly
            : null;
        return kind is null
            ? throw new ModuleScanException(Error(name, full, MoltDiagnosticIds.NotAModule, $"'{full}' is not a module: expected a .cs file, a .dll, or a folder of .cs files."))
            : new Candidate(name, kind.Value, full, root);
    }

    private List<ModuleSource> ReadAll(List<Candidate> found, List<ModuleDiagnostic> diagnostics, ReadMode mode)
    {
        var modules = new List<ModuleSource>(found.Count);

        // Each directory's real path once per scan: a module of hundreds of files shares a few.
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < found.Count; i++)
        {
            try
            {
                modules.Add(Read(found[i], i, resolved, mode));
            }
            catch (ModuleScanException ex)
            {
                diagnostics.Add(ex.Diagnostic);
            }
        }

        return modules;
    }

    private static ModuleKind? ClassifyFolder(string folder)
    {
        if (ModulePaths.EnumerateSources(folder).Any())
        {
            return ModuleKind.SourceFolder;
        }

        // A folder holding a built plugin (Name/Name.dll with its private dependencies).
        return File.Exists(Path.Combine(folder, Path.GetFileName(folder) + ".dll")) ? ModuleKind.Assembly : null;
    }

    private ModuleSource Read(Candidate candidate, int order, Dictionary<string, string> resolved, ReadMode mode)
    {
        var (name, kind, path, root) = candidate;
        string[] files;
        string? privateDirectory = null;
        switch (kind)
        {
            case ModuleKind.SourceFile:
                files = [path];
                break;
            case ModuleKind.SourceFolder:
                _quiet.Await([.. ModulePaths.EnumerateFolders(path)]);
                files = [.. ModulePaths.EnumerateSources(path).Order(StringComparer.Ordinal)];
                break;
            default:
                if (Directory.Exists(path))
                {
                    privateDirectory = path;
                    files = [Path.Combine(path, Path.GetFileName(path) + ".dll")];
                }
                else
                {
                    files = [path];
                }

                var pdb = Path.ChangeExtension(files[0], ".pdb");
                if (File.Exists(pdb))
                {
                    files = [files[0], pdb];
                }

                break;
        }

        var read = ImmutableArray.CreateBuilder<ModuleFile>(files.Length);
        foreach (var file in files)
        {
            ModulePaths.EnsureInside(root, file, name, resolved);
            read.Add(_reader.Read(name, file, mode));
        }

        var content = read.MoveToImmutable();
        return new ModuleSource
        {
            Name = name,
            Kind = kind,
            Path = path,
            Files = content,
            Hash = Hash(kind, path, content),
            Order = order,
            PrivateDirectory = privateDirectory,
        };
    }

    private static string Hash(ModuleKind kind, string path, IEnumerable<ModuleFile> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(kind.ToString()));
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\0" + Path.GetRelativePath(path, file.Path) + "\0"));
            sha.AppendData(file.Content);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static ModuleDiagnostic Error(string? module, string? file, string id, string message) =>
        new(module, file, 0, 0, id, DiagnosticSeverity.Error, message);

    private sealed record Candidate(string Name, ModuleKind Kind, string Path, string Root);
}
