using System.Reflection;
using System.Runtime.Loader;

namespace Molt.Loading;

/// <summary>
/// The collectible load context of one module generation. Dependencies on other modules resolve
/// to the generations this one was built against; everything the host has (the contract, the
/// framework, host libraries) resolves to the host's context, so type identity holds across
/// generations; a prebuilt module's private dependencies load from its folder, from bytes.
/// </summary>
internal sealed class ModuleLoadContext(string name, IReadOnlyDictionary<string, Assembly> moduleAssemblies, string? privateDirectory)
    : AssemblyLoadContext(name, isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } simpleName && moduleAssemblies.TryGetValue(simpleName, out var module))
        {
            return module;
        }

        // Shared with the host whenever the host can resolve it, even if a copy sits beside a plugin.
        try
        {
            return Default.LoadFromAssemblyName(assemblyName);
        }
        catch (FileNotFoundException)
        {
            if (privateDirectory is null)
            {
                return null;
            }
        }

        var candidate = Path.Combine(privateDirectory, assemblyName.Name + ".dll");
        if (!File.Exists(candidate))
        {
            return null;
        }

        // From bytes, so the plugin folder is never locked and can be rebuilt in place.
        using var image = new MemoryStream(File.ReadAllBytes(candidate));
        var pdbPath = Path.ChangeExtension(candidate, ".pdb");
        using var pdb = File.Exists(pdbPath) ? new MemoryStream(File.ReadAllBytes(pdbPath)) : null;
        return LoadFromStream(image, pdb);
    }
}
