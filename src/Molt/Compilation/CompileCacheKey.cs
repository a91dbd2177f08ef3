using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Molt.Modules;

namespace Molt.Compilation;

/// <summary>The compilation cache's key for one module compile.</summary>
internal static class CompileCacheKey
{
    private const string CompilerFile = "Microsoft.CodeAnalysis.CSharp.dll";

    private static readonly Lazy<string> s_compiler = new(CompilerIdentity, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>
    /// The compilation cache's key: a hash of everything that decides what the compiler emits for
    /// this module. The compiler and engine builds (their module version ids), the compile options,
    /// the references (paths, sizes and times), the assembly name, every file's path and content,
    /// the exact images of the modules it depends on, and the assets of the packages it resolved.
    /// </summary>
    public static string Of(MoltOptions options, string referencesFingerprint, ModuleSource source, IReadOnlyList<CompiledModule> dependencies, Packages.ResolvedPackages? packages)
    {
        var assemblyName = ModuleCompiler.AssemblyNameOf(source.Name);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add("molt-compile-6");
        Add(s_compiler.Value);
        Add(typeof(ModuleCompiler).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add($"{options.OptimizationLevel}|{options.ImplicitUsings}|{options.AllowProcessExit}");
        Add(referencesFingerprint);
        Add(packages?.Fingerprint ?? "no packages");
        Add(assemblyName);

        // The scan's hash covers every file's relative name and content; the PDB and the
        // diagnostics also carry the full paths.
        Add(source.Hash);
        foreach (var file in source.Files)
        {
            Add(file.Path);
        }

        foreach (var dependency in dependencies)
        {
            Add(dependency.AssemblyName);
            Add(dependency.ImageHash);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Which C# compiler build compiles here, without loading it (a start whose modules all come
    /// from the cache, or whose compiles go to the compile server, never needs it): the file the
    /// runtime loads it from, by path, size and write time (the same in every process of the
    /// application, whether it loaded the compiler yet or not), else the assembly's module version id.
    /// </summary>
    private static string CompilerIdentity()
    {
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa
            && tpa.Split(Path.PathSeparator).FirstOrDefault(p => Path.GetFileName(p).Equals(CompilerFile, StringComparison.OrdinalIgnoreCase)) is { } path
            && new FileInfo(path) is { Exists: true } file)
        {
            return $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}";
        }

        return LoadedCompilerId();
    }

    // A method of its own: the JIT loads the compiler's assembly for the method that names its type.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string LoadedCompilerId() => typeof(CSharpCompilation).Assembly.ManifestModule.ModuleVersionId.ToString();
}
