using System.Reflection;
using System.Runtime.Loader;
using Molt.Modules;

namespace Molt.Loading;

/// <summary>
/// A prebuilt module's private dependencies: the files beside <c>name/name.dll</c>. With a
/// <c>name.deps.json</c> (what <c>dotnet build</c> writes for a project with
/// <c>EnableDynamicLoading</c>), the runtime's own <see cref="AssemblyDependencyResolver"/> says
/// where each managed, runtime-specific and native asset is; without one, an assembly is looked for
/// as <c>Name.dll</c> in the folder.
/// </summary>
internal sealed class PrivateAssets
{
    private readonly string _directory;
    private readonly Lazy<AssemblyDependencyResolver?> _resolver;

    private PrivateAssets(string directory, string mainAssembly)
    {
        _directory = directory;

        // Read only when a private dependency is first asked for: most names resolve to the host.
        _resolver = new Lazy<AssemblyDependencyResolver?>(() =>
        {
            if (!File.Exists(Path.ChangeExtension(mainAssembly, ".deps.json")))
            {
                return null;
            }

            try
            {
                return new AssemblyDependencyResolver(mainAssembly);
            }
            catch (InvalidOperationException)
            {
                // A .deps.json the host cannot read: the folder is searched as without one.
                return null;
            }
        });
    }

    /// <summary>The private assets of an assembly module in a folder; <see langword="null"/> for anything else.</summary>
    public static PrivateAssets? For(ModuleSource source) =>
        source.PrivateDirectory is { } directory ? new PrivateAssets(directory, source.Files[0].Path) : null;

    /// <summary>
    /// Loads a private managed dependency from bytes, so the folder is never locked and can be
    /// rebuilt in place; <see langword="null"/> when the module has no such file.
    /// </summary>
    public Assembly? Load(AssemblyLoadContext context, AssemblyName name)
    {
        var path = _resolver.Value?.ResolveAssemblyToPath(name) ?? Path.Combine(_directory, name.Name + ".dll");
        if (!File.Exists(path))
        {
            return null;
        }

        using var image = new MemoryStream(File.ReadAllBytes(path));
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        using var pdb = File.Exists(pdbPath) ? new MemoryStream(File.ReadAllBytes(pdbPath)) : null;
        return context.LoadFromStream(image, pdb);
    }

    /// <summary>
    /// The path of a native library the <c>.deps.json</c> lists for this runtime. Native libraries
    /// can only be loaded from a file (there is no loading from bytes), and the operating system
    /// keeps them loaded for the life of the process, whatever becomes of the load context.
    /// </summary>
    public string? NativePath(string name) =>
        _resolver.Value is { } resolver ? NativeNames.Candidates(name).Select(resolver.ResolveUnmanagedDllToPath).FirstOrDefault(p => p is not null) : null;
}
