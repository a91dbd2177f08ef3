using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Molt.Modules;

/// <summary>
/// Finds the modules under the configured roots, reads their files and hashes them. Change
/// detection is by content hash, never by timestamp, so a save that rewrites the same bytes is
/// no change and a change within the same second is never missed.
/// </summary>
internal sealed class ModuleScanner(MoltOptions options)
{
    public IReadOnlyList<ModuleSource> Scan(List<ModuleDiagnostic> diagnostics)
    {
        var found = new List<(string Name, ModuleKind Kind, string Path, string Root)>();
        foreach (var directory in options.ModuleDirectories)
        {
            var root = Path.GetFullPath(directory);
            if (!Directory.Exists(root))
            {
                throw new ModuleScanException(Error(null, root, "MOLT001", $"Module directory '{root}' does not exist."));
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(root).Order(StringComparer.Ordinal))
            {
                var name = System.IO.Path.GetFileName(entry);
                if (ModulePaths.IsIgnored(name))
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    if (ClassifyFolder(entry) is { } kind)
                    {
                        found.Add((name, kind, entry, root));
                    }
                }
                else if (entry.EndsWith(".cs", StringComparison.Ordinal))
                {
                    found.Add((System.IO.Path.GetFileNameWithoutExtension(name), ModuleKind.SourceFile, entry, root));
                }
                else if (entry.EndsWith(".dll", StringComparison.Ordinal))
                {
                    found.Add((System.IO.Path.GetFileNameWithoutExtension(name), ModuleKind.Assembly, entry, root));
                }
            }
        }

        foreach (var module in options.Modules)
        {
            var full = Path.GetFullPath(module);
            var root = Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
            var name = Path.GetFileNameWithoutExtension(full.TrimEnd(Path.DirectorySeparatorChar));
            ModuleKind? kind = Directory.Exists(full) ? ClassifyFolder(full)
                : File.Exists(full) && full.EndsWith(".cs", StringComparison.Ordinal) ? ModuleKind.SourceFile
                : File.Exists(full) && full.EndsWith(".dll", StringComparison.Ordinal) ? ModuleKind.Assembly
                : null;
            if (kind is null)
            {
                throw new ModuleScanException(Error(name, full, "MOLT002", $"'{full}' is not a module: expected a .cs file, a .dll, or a folder of .cs files."));
            }

            found.Add((name, kind.Value, full, root));
        }

        var duplicates = found.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicates is not null)
        {
            throw new ModuleScanException(Error(duplicates.Key, null, "MOLT003",
                $"Module name '{duplicates.Key}' is used twice: {string.Join(" and ", duplicates.Select(d => d.Path))}."));
        }

        var modules = new List<ModuleSource>(found.Count);
        for (var i = 0; i < found.Count; i++)
        {
            var (name, kind, path, root) = found[i];
            try
            {
                modules.Add(Read(name, kind, path, root, i));
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

    private ModuleSource Read(string name, ModuleKind kind, string path, string root, int order)
    {
        string[] files;
        string? privateDirectory = null;
        switch (kind)
        {
            case ModuleKind.SourceFile:
                files = [path];
                break;
            case ModuleKind.SourceFolder:
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
            ModulePaths.EnsureInside(root, file, name);
            read.Add(new ModuleFile(file, ReadFile(name, file)));
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

    private byte[] ReadFile(string module, string file)
    {
        try
        {
            // Open with sharing so an editor holding the file open does not fail the scan.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > options.MaxFileBytes)
            {
                throw new ModuleScanException(Error(module, file, "MOLT004",
                    $"File is {stream.Length:N0} bytes, over the limit of {options.MaxFileBytes:N0} (MoltOptions.MaxFileBytes)."));
            }

            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModuleScanException(Error(module, file, "MOLT005", $"Cannot read file: {ex.Message}"));
        }
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
}
