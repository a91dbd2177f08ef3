using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Molt.Compilation.Delta;

namespace Molt.Compilation;

internal sealed partial class ModuleCompiler
{
    // A chain is restarted by a full compile after this many deltas, or once its heaps grew too much
    // (DeltaChain.Grown): the image stays near a full compile's size.
    private const int MaxChainLength = 100;

    // Below this much source, a module compiled whole costs less than jitting the delta path does
    // (~200-300 ms on the first delta of a process); see DeltaPathJitted.
    private const int SmallModuleChars = 64 * 1024;

    // Set once a delta was emitted and merged in this process: the JIT state it stands for is the process's.
    private static volatile bool s_deltaPathJitted;

    /// <summary>
    /// Gets a value indicating whether this process has emitted and merged a delta, so the path is
    /// jitted. Until then, when the engine jits it in the background with a throwaway edit
    /// (<see cref="WarmsDeltaPathUp"/>), an edit of a small module is compiled whole: an edit made
    /// right after start then costs a full compile, not the delta path's first run.
    /// </summary>
    internal static bool DeltaPathJitted => s_deltaPathJitted;

    /// <summary>
    /// Gets a value indicating whether the engine jits this compiler's delta path in the background
    /// after its first reload (<see cref="CompilerPriming"/>): the warm-up is on, partial compiles are
    /// on and compiles happen here. Only then are small modules compiled whole until it is jitted.
    /// </summary>
    public bool WarmsDeltaPathUp => _options.WarmUpCompiler && _options.PartialCompiles && _server is null;

    /// <summary>Makes this process's delta path count as not jitted again (tests only).</summary>
    internal static void ForgetDeltaPathJitted() => s_deltaPathJitted = false;

    /// <summary>
    /// Emits an edit that changed method bodies only as an edit-and-continue delta of the previous
    /// image and merges it into a new standalone image: the cost follows the edit, not the module.
    /// Returns <see langword="null"/> with the reason when the edit is not one the merge reproduces
    /// exactly as a full compile would; the caller then compiles the module whole.
    /// </summary>
    private (CompiledModule? Module, string? Refused) TryEmitDelta(EmitInput input, Microsoft.CodeAnalysis.Compilation compilation, List<ModuleDiagnostic> diagnostics)
    {
        // Not tried (no reason given): partial compiles off, or nothing to take a delta of.
        if (!_options.PartialCompiles || input.Previous is not { Compilation: { } before, Pdb: { } previousPdb } previous || previous.Reused)
        {
            return (null, null);
        }

        if (WarmsDeltaPathUp && !input.WarmingUp && !s_deltaPathJitted && compilation.SyntaxTrees.Sum(t => t.Length) < SmallModuleChars)
        {
            return (null, "the partial-compile path is still being prepared (jitted) in the background, and this small module compiles whole faster");
        }

        if (input.HasDependents && previous.ApiHash is null)
        {
            return (null, "the module gained dependents (its API hash is computed by a full compile)");
        }

        if (EditedTrees(before, compilation) is not { } edited)
        {
            return (null, "files were added or removed");
        }

        var (edits, lines, refused) = BodyEdits.Find(before, compilation, edited);
        if (refused is not null)
        {
            return (null, refused);
        }

        if (EditedFileWarnings(input.Source.Name, compilation, edited) is not { } fresh)
        {
            return (null, "the edited files have errors");
        }

        var state = previous.Delta ?? DeltaState.Start(before, previous.Image, previousPdb);
        if (state.Chain.Length >= MaxChainLength || state.Chain.Grown)
        {
            return (null, "the delta chain is long enough to start again from a full compile");
        }

        var (merged, failed) = EmitAndMerge(state, compilation, edits, lines);
        if (merged is not { } next)
        {
            return (null, failed);
        }

        s_deltaPathJitted = true;
        IReadOnlyList<ModuleDiagnostic> warnings = [.. ModuleWideWarnings.Carry(previous.Warnings, edited), .. fresh];
        diagnostics.AddRange(warnings);
        return (new CompiledModule(input.AssemblyName, next.Image, next.Pdb, compilation)
        {
            ApiHash = previous.ApiHash,
            Warnings = warnings,
            Delta = next.State,
            DeltaBase = Loading.ImageIndex.ReadMvid(previous.Image),
        }, null);
    }

    /// <summary>Emits the delta of <paramref name="edits"/> and merges it into the chain; on failure, says why.</summary>
    private static ((DeltaState State, byte[] Image, byte[] Pdb)? Merged, string? Failed) EmitAndMerge(
        DeltaState state, Microsoft.CodeAnalysis.Compilation compilation, System.Collections.Immutable.ImmutableArray<SemanticEdit> edits, IReadOnlyDictionary<string, LineMap> lines)
    {
        using var metadata = new MemoryStream();
        using var il = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.EmitDifference(state.Baseline, edits, _ => false, metadata, il, pdb);
        if (!result.Success || result.Baseline is not { } baseline)
        {
            return (null, "the delta did not emit");
        }

        try
        {
            var (chain, image, mergedPdb) = state.Chain.Apply(metadata.ToArray(), il.ToArray(), pdb.ToArray(), edits.Length, lines);
            return ((new DeltaState(baseline, chain), image, mergedPdb), null);
        }
        catch (MergeRefusedException ex)
        {
            // Any other fault is caught by Emit, which compiles the module whole.
            return (null, ex.Message);
        }
    }

    /// <summary>The files whose trees differ between the two compilations; <see langword="null"/> when files were added or removed.</summary>
    private static TreeEdit[]? EditedTrees(Microsoft.CodeAnalysis.Compilation before, Microsoft.CodeAnalysis.Compilation after)
    {
        var oldTrees = before.SyntaxTrees.ToDictionary(t => t.FilePath, StringComparer.Ordinal);
        return oldTrees.Count != after.SyntaxTrees.Count() || after.SyntaxTrees.Any(t => !oldTrees.ContainsKey(t.FilePath))
            ? null
            : [.. after.SyntaxTrees.Where(t => oldTrees[t.FilePath] != t).Select(t => new TreeEdit(oldTrees[t.FilePath], t))];
    }

    /// <summary>
    /// The warnings of the edited files, from binding them again (the other files' are the previous
    /// compile's); <see langword="null"/> when they have errors, which a full compile reports.
    /// </summary>
    private static List<ModuleDiagnostic>? EditedFileWarnings(string module, Microsoft.CodeAnalysis.Compilation compilation, IEnumerable<TreeEdit> edited)
    {
        var warnings = new List<ModuleDiagnostic>();
        foreach (var diagnostic in edited.SelectMany(e => compilation.GetSemanticModel(e.New).GetDiagnostics()))
        {
            if (diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return null;
            }

            if (diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && !diagnostic.IsSuppressed)
            {
                warnings.Add(ToDiagnostic(module, diagnostic));
            }
        }

        return warnings;
    }
}
