using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Molt.Packages;

/// <summary>A package a module set asks for, by id and version (as written).</summary>
internal sealed record RequestedPackage(string Id, string Version);

/// <summary>One managed asset of a resolved package: the assembly's name and version, and its file.</summary>
internal sealed record PackageAsset(string Name, string Version, string Path);

/// <summary>One native library of a resolved package, for the host's runtime identifier.</summary>
internal sealed record NativeAsset(string FileName, string Path);

/// <summary>
/// What restoring one set of packages gave, transitively: the assemblies modules compile against,
/// the assemblies and native libraries they load. Kept as JSON in the package cache, so later
/// reloads and restarts need no restore while the files are there.
/// </summary>
/// <param name="Key">The hash of the requested packages, target framework and runtime identifier.</param>
/// <param name="Requested">The packages asked for, sorted by id.</param>
/// <param name="Compile">The compile assets.</param>
/// <param name="Runtime">The runtime assets.</param>
/// <param name="Native">The native libraries.</param>
internal sealed record ResolvedPackages(
    string Key,
    IReadOnlyList<RequestedPackage> Requested,
    IReadOnlyList<PackageAsset> Compile,
    IReadOnlyList<PackageAsset> Runtime,
    IReadOnlyList<NativeAsset> Native)
{
    private string? _fingerprint;
    private Dictionary<string, PackageAsset>? _runtimeByName;

    /// <summary>
    /// Gets a hash of every asset's name, version and path: what the compilation cache keys on. A
    /// later restore of the same request can resolve other versions (a floating version, a package
    /// that appeared), so the request alone does not decide the compile.
    /// </summary>
    [JsonIgnore]
    public string Fingerprint => _fingerprint ??= FingerprintOf();

    /// <summary>Gets the runtime assets by assembly name (case-insensitive, as the loader compares names).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, PackageAsset> RuntimeByName =>
        _runtimeByName ??= Runtime.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets a value indicating whether every file it names is still there (a NuGet cache can be cleared).</summary>
    public bool FilesExist() =>
        Compile.All(a => File.Exists(a.Path)) && Runtime.All(a => File.Exists(a.Path)) && Native.All(a => File.Exists(a.Path));

    private string FingerprintOf()
    {
        var text = new StringBuilder();
        foreach (var asset in Compile.Concat(Runtime))
        {
            text.Append(asset.Name).Append('\0').Append(asset.Version).Append('\0').Append(asset.Path).Append('\n');
        }

        foreach (var native in Native)
        {
            text.Append(native.Path).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
