namespace Molt;

/// <summary>One module a reload touched.</summary>
/// <param name="Module">The module's name.</param>
/// <param name="Kind">Why it took part.</param>
/// <param name="Generation">The module's new generation (for a removed module, the generation that was retired).</param>
/// <param name="ChangedFiles">The files whose content changed, was added or removed (empty for dependents).</param>
public sealed record ModuleChange(string Module, ModuleChangeKind Kind, int Generation, IReadOnlyList<string> ChangedFiles)
{
    /// <summary>
    /// Gets a value indicating whether the module's new image came from the compilation cache
    /// (<see cref="MoltOptions.CompilationCachePath"/>) instead of the compiler.
    /// </summary>
    public bool FromCache { get; init; }

    /// <summary>
    /// Gets a value indicating whether this dependent was not compiled: its files did not change
    /// and none of its dependencies changed its API (public members, constants, signatures), so its
    /// previous image was loaded again, bound to their new generations.
    /// </summary>
    public bool ReusedImage { get; init; }

    /// <summary>
    /// Gets a value indicating whether the module's new image was made from its previous image and a
    /// delta of the edited method bodies (<see cref="MoltOptions.PartialCompiles"/>) instead of by
    /// compiling the whole module.
    /// </summary>
    public bool PartialCompile { get; init; }

    /// <summary>
    /// Gets why the module's edit was compiled whole when a partial compile was tried (for
    /// example "'a.cs' changed outside method bodies"); <see langword="null"/> when the partial
    /// compile was used or not tried (first compile, partial compiles off).
    /// </summary>
    public string? WholeCompileReason { get; init; }
}
