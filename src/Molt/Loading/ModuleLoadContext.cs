using System.Reflection;
using System.Runtime.Loader;

namespace Molt.Loading;

/// <summary>
/// The collectible load context of one module generation. Dependencies on other modules resolve
/// to the generations this one was built against; everything the host has (the contract, the
/// framework, host libraries) resolves to the host's context, so type identity holds across
/// generations; a prebuilt module's private dependencies load from its folder, from bytes.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly string? _privateDirectory;
    private IReadOnlyDictionary<string, Assembly> _moduleAssemblies;

    public ModuleLoadContext(string name, IReadOnlyDictionary<string, Assembly> moduleAssemblies, string? privateDirectory)
        : base(name, isCollectible: true)
    {
        _moduleAssemblies = moduleAssemblies;
        _privateDirectory = privateDirectory;

        // From Unload() until its assemblies are collected, the runtime holds this context with a
        // strong handle: if it still held its dependencies' assemblies, a retired dependency whose
        // statics reach this generation's objects (state as it was at the switch) would keep both
        // alive forever. Nothing loads into an unloading context, so the map is no longer needed.
        Unloading += static context => ((ModuleLoadContext)context)._moduleAssemblies = new Dictionary<string, Assembly>();
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } simpleName && _moduleAssemblies.TryGetValue(simpleName, out var module))
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
            if (_privateDirectory is null)
            {
                return null;
            }
        }

        var candidate = Path.Combine(_privateDirectory, assemblyName.Name + ".dll");
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
