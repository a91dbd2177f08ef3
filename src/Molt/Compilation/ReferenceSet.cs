using System.Collections.Immutable;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Molt.Compilation;

/// <summary>
/// The metadata references every module is compiled against: the framework, the host's
/// assemblies and any configured extras. Built once; Roslyn caches the metadata behind each
/// reference object, so reusing the same objects makes every later compile cheaper.
/// </summary>
internal sealed partial class ReferenceSet
{
    private static readonly HashSet<string> s_excluded = new(StringComparer.OrdinalIgnoreCase)
    {
        // Test and tooling assemblies that the host may carry but modules must never bind to.
        "testhost", "Microsoft.TestPlatform.CoreUtilities", "Microsoft.TestPlatform.PlatformAbstractions",
    };

    private readonly Lazy<ImmutableArray<MetadataReference>> _references;
    private readonly string[] _paths;

    private ReferenceSet(string[] paths, string fingerprint)
    {
        _paths = paths;
        // Opening ~180 assemblies costs tens of milliseconds; a start whose modules all come from
        // the compilation cache needs only the fingerprint.
        _references = new Lazy<ImmutableArray<MetadataReference>>(
            () => [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))],
            LazyThreadSafetyMode.ExecutionAndPublication);
        Fingerprint = fingerprint;
    }

    public ImmutableArray<MetadataReference> References => _references.Value;

    /// <summary>
    /// Gets a hash of every reference's path, size and modification time: what the compilation
    /// cache keys on for "the same references" without reading the assemblies.
    /// </summary>
    public string Fingerprint { get; }

    public static ReferenceSet Create(IEnumerable<string> extraPaths)
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string path)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!s_excluded.Contains(name) && File.Exists(path))
            {
                paths.TryAdd(name, path);
            }
        }

        foreach (var extra in extraPaths)
        {
            Add(Path.GetFullPath(extra));
        }

        // The trusted platform assemblies: the framework plus the application's own dependencies.
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                Add(path);
            }
        }

        // Host assemblies loaded by path rather than listed in the application's dependencies.
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (!assembly.IsDynamic && !string.IsNullOrEmpty(assembly.Location))
            {
                Add(assembly.Location);
            }
        }

        var ordered = paths.Values.Order(StringComparer.Ordinal).ToArray();
        return new ReferenceSet(ordered, FingerprintOf(ordered));
    }

    private static string FingerprintOf(string[] paths)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            var info = new FileInfo(path);
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{path}\0{info.Length}\0{info.LastWriteTimeUtc.Ticks}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
