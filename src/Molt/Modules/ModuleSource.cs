using System.Collections.Immutable;

namespace Molt.Modules;

/// <summary>A module as found on disk by one scan: what it is, its files and their content hash.</summary>
internal sealed class ModuleSource
{
    public required string Name { get; init; }

    public required ModuleKind Kind { get; init; }

    /// <summary>Gets the module's path: the file, or the folder.</summary>
    public required string Path { get; init; }

    /// <summary>Gets the module's files in ordinal order (for an assembly module, the assembly first).</summary>
    public required ImmutableArray<ModuleFile> Files { get; init; }

    /// <summary>Gets the SHA-256 of the kind, the relative file names and their content.</summary>
    public required string Hash { get; init; }

    /// <summary>Gets the position of the module in file-name order, used to break ties between modules that do not depend on each other.</summary>
    public required int Order { get; init; }

    /// <summary>Gets, for an assembly module, the folder holding its private dependencies.</summary>
    public string? PrivateDirectory { get; init; }

    public IEnumerable<string> FilePaths => Files.Select(f => f.Path);

    /// <summary>
    /// Gets a value indicating whether every file on disk is still the one read (none written,
    /// replaced or deleted since) and, for a folder, no source file appeared or went: a
    /// <c>git checkout</c> deletes each file before it writes it again.
    /// </summary>
    public bool IsCurrent => Files.All(f => f.IsCurrent) && (Kind != ModuleKind.SourceFolder || ListingIsCurrent());

    private bool ListingIsCurrent()
    {
        try
        {
            return ModulePaths.EnumerateSources(Path).Order(StringComparer.Ordinal).SequenceEqual(FilePaths, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
