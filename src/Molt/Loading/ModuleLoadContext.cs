using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Molt.Packages;

namespace Molt.Loading;

/// <summary>
/// The collectible load context of one module generation. An assembly name resolves, in order, to:
/// a module this one depends on (the generation it was built against); the host's copy, whenever the
/// host has the assembly at the same or a higher version, so the contract, the framework and shared
/// libraries keep one type identity across generations; a package assembly of a module it depends
/// on (that module's copy, so both see one type); its own package assemblies; a prebuilt module's
/// private dependencies (from bytes). An assembly the host has only at a lower version than asked
/// for is loaded privately, from the module's packages or folder (its types are then not the
/// host's); when the module has no copy of its own, the host's lower version is still used.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly PrivateAssets? _private;
    private readonly ResolvedPackages? _packages;
    private IReadOnlyDictionary<string, Assembly> _moduleAssemblies;
    private ModuleLoadContext[] _dependencies;

    public ModuleLoadContext(string name, IReadOnlyDictionary<string, Assembly> moduleAssemblies, PrivateAssets? privateAssets, ResolvedPackages? packages)
        : base(name, isCollectible: true)
    {
        _moduleAssemblies = moduleAssemblies;
        _dependencies = [.. moduleAssemblies.Values.Select(GetLoadContext).OfType<ModuleLoadContext>().Distinct()];
        _private = privateAssets;
        _packages = packages;

        // From Unload() until its assemblies are collected, the runtime holds this context with a
        // strong handle: if it still held its dependencies' assemblies, a retired dependency whose
        // statics reach this generation's objects (state as it was at the switch) would keep both
        // alive forever. Nothing loads into an unloading context, so the map is no longer needed.
        Unloading += static context =>
        {
            var self = (ModuleLoadContext)context;
            self._moduleAssemblies = new Dictionary<string, Assembly>();
            self._dependencies = [];
        };
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is not { } simpleName)
        {
            return null;
        }

        if (_moduleAssemblies.TryGetValue(simpleName, out var module))
        {
            return module;
        }

        // Shared with the host whenever the host has it at the version asked for or higher, even if a
        // copy sits beside a plugin. The versions are compared here rather than left to the default
        // context, whose resolving handlers (a test platform's, a host's) may answer by name alone.
        var host = FromHost(assemblyName, out var hostFailure);
        if (host is not null && (assemblyName.Version is null || host.GetName().Version >= assemblyName.Version))
        {
            return host;
        }

        var own = _dependencies.FirstOrDefault(d => d.ProvidesPackageAssembly(assemblyName))?.LoadFromAssemblyName(assemblyName)
            ?? (_packages is not null && _packages.RuntimeByName.TryGetValue(simpleName, out var asset)
                ? LoadFromAssemblyPath(asset.Path) // from the NuGet packages folder, which nothing rewrites: by path, so it has a Location
                : _private?.Load(this, assemblyName));

        // A lower version than asked for and no copy of the module's own: the host's is the best there is.
        if ((own ?? host) is { } found)
        {
            return found;
        }

        hostFailure?.Throw();
        return null;
    }

    private static Assembly? FromHost(AssemblyName assemblyName, out ExceptionDispatchInfo? failure)
    {
        failure = null;
        try
        {
            return Default.LoadFromAssemblyName(assemblyName);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (FileLoadException ex)
        {
            // Typically the host's copy is of a lower version than asked for: the module's own, if it has one.
            failure = ExceptionDispatchInfo.Capture(ex);
            return null;
        }
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _packages is null ? null
            : NativeNames.Candidates(unmanagedDllName).Select(n => _packages.Native.FirstOrDefault(a => a.FileName == n)).FirstOrDefault(a => a is not null)?.Path;
        path ??= _private?.NativePath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>Whether this generation (or one it depends on) has a package assembly of that name, at the version asked for or higher.</summary>
    private bool ProvidesPackageAssembly(AssemblyName name) =>
        (_packages is not null && _packages.RuntimeByName.TryGetValue(name.Name!, out var asset)
            && (name.Version is null || Version.Parse(asset.Version) >= name.Version))
        || _dependencies.Any(d => d.ProvidesPackageAssembly(name));
}
