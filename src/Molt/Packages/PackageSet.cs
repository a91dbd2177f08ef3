using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Molt.Packages;

/// <summary>
/// The packages one module is resolved with: its own <c>[PackageReference]</c>s and those of the
/// modules it depends on (so it can compile against their APIs), one version per id, sorted; keyed
/// by a hash of them, the target framework and the runtime identifier.
/// </summary>
internal sealed class PackageSet
{
    private PackageSet(ImmutableArray<RequestedPackage> packages)
    {
        Packages = packages;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add("molt-packages-1");
        Add(Framework);
        Add(RuntimeIdentifier);
        foreach (var package in packages)
        {
            Add(package.Id.ToLowerInvariant() + "=" + package.Version);
        }

        Key = Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    /// <summary>Gets the framework packages are restored for: the running runtime's (<c>net10.0</c>).</summary>
    public static string Framework { get; } = $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    /// <summary>Gets the runtime identifier whose runtime-specific and native assets are chosen (<c>linux-x64</c>).</summary>
    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    public ImmutableArray<RequestedPackage> Packages { get; }

    public string Key { get; }

    /// <summary>
    /// The set for a module: its own requests win over inherited ones (NuGet's rule too: a direct
    /// reference beats a transitive one); between two inherited versions of one id, the higher.
    /// </summary>
    public static PackageSet Of(IEnumerable<PackageRequest> own, IEnumerable<IReadOnlyList<RequestedPackage>> inherited)
    {
        var chosen = new Dictionary<string, RequestedPackage>(StringComparer.OrdinalIgnoreCase);
        foreach (var package in inherited.SelectMany(p => p))
        {
            if (!chosen.TryGetValue(package.Id, out var before) || IsHigher(package.Version, before.Version))
            {
                chosen[package.Id] = package;
            }
        }

        foreach (var request in own)
        {
            chosen[request.Id] = new RequestedPackage(request.Id, request.Version);
        }

        return new PackageSet([.. chosen.Values.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>Compares the numeric part of two plain versions; a range or anything else unparsable keeps the first seen.</summary>
    private static bool IsHigher(string version, string than) =>
        Version.TryParse(version.Split('-', '+')[0], out var a) && Version.TryParse(than.Split('-', '+')[0], out var b) && a > b;
}
