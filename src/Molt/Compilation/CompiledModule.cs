using Microsoft.CodeAnalysis;

namespace Molt.Compilation;

/// <summary>The output of one successful module compile.</summary>
/// <param name="AssemblyName">The assembly's name.</param>
/// <param name="Image">The PE image.</param>
/// <param name="Pdb">The portable PDB, so stack traces show file and line.</param>
/// <param name="Compilation">The compilation, kept so the next compile of the module can reuse its bound references.</param>
internal sealed record CompiledModule(string AssemblyName, byte[] Image, byte[]? Pdb, Microsoft.CodeAnalysis.Compilation? Compilation)
{
    private MetadataReference? _reference;

    /// <summary>Gets a reference to this image, for compiling the modules that depend on it.</summary>
    public MetadataReference Reference => _reference ??= MetadataReference.CreateFromImage(Image);
}
