using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Molt.Modules;

namespace Molt.Compilation;

/// <summary>The compilation cache's key for one module compile.</summary>
internal static class CompileCacheKey
{
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
        Add(typeof(CSharpCompilation).Assembly.ManifestModule.ModuleVersionId.ToString());
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
}
