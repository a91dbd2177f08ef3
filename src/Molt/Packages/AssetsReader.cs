using System.Reflection;
using System.Text.Json;
using Molt.Reloading;

namespace Molt.Packages;

/// <summary>
/// Reads what NuGet decided from a restore's <c>obj/project.assets.json</c>: for the target
/// (framework and runtime identifier), every package's compile, runtime and native assets, located
/// in the package folders the restore used.
/// </summary>
internal static class AssetsReader
{
    /// <summary>The errors NuGet logged in the assets file (with the package each is about), if it wrote one.</summary>
    public static IReadOnlyList<RestoreError> Errors(string assetsPath)
    {
        if (!File.Exists(assetsPath))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        if (!document.RootElement.TryGetProperty("logs", out var logs) || logs.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. logs.EnumerateArray()
            .Where(l => l.TryGetProperty("level", out var level) && level.GetString() == "Error")
            .Select(l => new RestoreError(
                l.TryGetProperty("libraryId", out var id) ? id.GetString() : null,
                Texts.Bounded($"{(l.TryGetProperty("code", out var code) ? code.GetString() + ": " : "")}{l.GetProperty("message").GetString()}")))];
    }

    /// <summary>The assets of every package of the restore's target, transitively.</summary>
    /// <exception cref="InvalidDataException">The file is not what a restore writes.</exception>
    public static ResolvedPackages Read(string assetsPath, PackageSet set)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        var root = document.RootElement;
        var folders = root.GetProperty("packageFolders").EnumerateObject().Select(f => f.Name).ToArray();
        var libraries = root.GetProperty("libraries");
        var targets = root.GetProperty("targets");
        var target = targets.TryGetProperty($"{PackageSet.Framework}/{PackageSet.RuntimeIdentifier}", out var specific) ? specific
            : targets.TryGetProperty(PackageSet.Framework, out var neutral) ? neutral
            : throw new InvalidDataException($"The restore has no target {PackageSet.Framework}.");
        var compile = new List<PackageAsset>();
        var runtime = new List<PackageAsset>();
        var native = new List<NativeAsset>();
        foreach (var package in target.EnumerateObject())
        {
            if (package.Value.GetProperty("type").GetString() != "package"
                || libraries.GetProperty(package.Name).GetProperty("path").GetString() is not { } libraryPath)
            {
                continue;
            }

            string? Locate(string asset) =>
                folders.Select(f => Path.GetFullPath(Path.Combine(f, libraryPath, asset))).FirstOrDefault(File.Exists);

            compile.AddRange(Assets(package.Value, "compile").Select(Locate).OfType<string>().Select(Describe).OfType<PackageAsset>());
            runtime.AddRange(Assets(package.Value, "runtime").Select(Locate).OfType<string>().Select(Describe).OfType<PackageAsset>());
            native.AddRange(Assets(package.Value, "native").Select(Locate).OfType<string>().Select(p => new NativeAsset(Path.GetFileName(p), p)));
        }

        return new ResolvedPackages(set.Key, set.Packages, compile, runtime, native);
    }

    /// <summary>The asset paths of one kind; <c>_._</c> marks a kind that is deliberately empty.</summary>
    private static IEnumerable<string> Assets(JsonElement package, string kind) =>
        package.TryGetProperty(kind, out var assets)
            ? assets.EnumerateObject().Select(a => a.Name).Where(n => Path.GetFileName(n) != "_._")
            : [];

    /// <summary>The asset's assembly name and version; <see langword="null"/> for a file that is not an assembly (some packages ship others there).</summary>
    private static PackageAsset? Describe(string path)
    {
        try
        {
            var name = AssemblyName.GetAssemblyName(path);
            return new PackageAsset(name.Name!, (name.Version ?? new Version(0, 0)).ToString(), path);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
