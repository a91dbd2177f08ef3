using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Molt.Packages;

namespace Molt.Compilation;

internal sealed partial class ReferenceSet
{
    private readonly ConcurrentDictionary<string, ImmutableArray<MetadataReference>> _withPackages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Version?> _hostVersions = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, int>? _indexByName;

    /// <summary>
    /// The references of a module that uses <paramref name="packages"/>: the host's, plus each
    /// package compile asset the host has no copy of. Where the host has the assembly, its copy wins
    /// when it is of the same or a higher version (one type identity with the host, and the module
    /// binds to it at run time); a package's higher version replaces the host's in the module's
    /// references, and the module then loads its own copy (see <c>ModuleLoadContext</c>). The same
    /// array is returned for the same packages, so compiles reuse Roslyn's bound metadata.
    /// </summary>
    public ImmutableArray<MetadataReference> With(ResolvedPackages? packages) =>
        packages is null || packages.Compile.Count == 0 ? References : _withPackages.GetOrAdd(packages.Fingerprint, _ => Build(packages));

    /// <summary>
    /// The paths of the references <see cref="With"/> gives, in the same order: what a compile
    /// server is sent so that it compiles against exactly the references an in-process compile would.
    /// </summary>
    public string[] PathsWith(ResolvedPackages? packages)
    {
        if (packages is null || packages.Compile.Count == 0)
        {
            return _paths;
        }

        var (replaced, added) = Select(packages);
        return [.. _paths.Where((_, i) => !replaced.Contains(i)), .. added];
    }

    private ImmutableArray<MetadataReference> Build(ResolvedPackages packages)
    {
        var (replaced, added) = Select(packages);
        var references = References;
        return [.. references.Where((_, i) => !replaced.Contains(i)), .. added.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>Which host references a package replaces (by index) and which package assets are added (by path).</summary>
    private (HashSet<int> Replaced, List<string> Added) Select(ResolvedPackages packages)
    {
        var index = _indexByName ??= _paths.Select((p, i) => (Name: Path.GetFileNameWithoutExtension(p), i))
            .GroupBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        var replaced = new HashSet<int>();
        var added = new List<string>();
        foreach (var asset in packages.Compile.DistinctBy(a => a.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (index.TryGetValue(asset.Name, out var host))
            {
                if (HostVersion(_paths[host]) is not { } hostVersion || hostVersion >= Version.Parse(asset.Version))
                {
                    continue;
                }

                replaced.Add(host);
            }

            added.Add(asset.Path);
        }

        return (replaced, added);
    }

    /// <summary>The version of a host assembly, read once (only for the names packages also have).</summary>
    private Version? HostVersion(string path) => _hostVersions.GetOrAdd(path, static p =>
    {
        try
        {
            return AssemblyName.GetAssemblyName(p).Version;
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException)
        {
            return null;
        }
    });
}
