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
    private string? _imageHash;

    /// <summary>
    /// Gets the SHA-256 of the module's reference assembly (its public API, and its internals when
    /// it grants <c>InternalsVisibleTo</c>); <see langword="null"/> for a prebuilt assembly module.
    /// Dependents compiled against an image with the same API hash need no recompile.
    /// </summary>
    public string? ApiHash { get; init; }

    /// <summary>
    /// Gets a value indicating whether this is a dependent's previous image, loaded again without
    /// compiling because none of its dependencies changed their API.
    /// </summary>
    public bool Reused { get; init; }

    /// <summary>
    /// Gets the packages the module was compiled against and loads its package assemblies and
    /// native libraries from (its own and those of the modules it depends on); <see langword="null"/> when none.
    /// </summary>
    public Packages.ResolvedPackages? Packages { get; init; }

    /// <summary>Gets the compile's warnings (a body edit merged as a delta keeps those of the files it did not touch).</summary>
    public IReadOnlyList<ModuleDiagnostic> Warnings { get; init; } = [];

    /// <summary>Gets what the module's next body edit needs to be emitted as a delta; <see langword="null"/> until one is.</summary>
    public Delta.DeltaState? Delta { get; init; }

    /// <summary>
    /// Gets the module version id of the image a body edit's delta was merged into to make this
    /// one; <see langword="null"/> when the module was compiled whole. Loading compares it with the
    /// serving generation's: a merge into that image has its types exactly.
    /// </summary>
    public Guid? DeltaBase { get; init; }

    /// <summary>Gets a value indicating whether the image is a previous one with a body edit's delta merged in, rather than a full compile.</summary>
    public bool MergedDelta => DeltaBase is not null;

    /// <summary>Gets why an edit of the module was compiled whole instead of merged as a delta (for traces and tests); <see langword="null"/> when merged or not tried.</summary>
    public string? DeltaRefused { get; init; }

    /// <summary>Gets a value indicating whether the image came from the compilation cache rather than the compiler.</summary>
    public bool FromCache { get; init; }

    /// <summary>Gets the SHA-256 of the image, which keys the cache entries of the modules compiled against it.</summary>
    public string ImageHash => _imageHash ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Image));

    /// <summary>Gets a reference to this image, for compiling the modules that depend on it.</summary>
    public MetadataReference Reference => _reference ??= MetadataReference.CreateFromImage(Image);
}
