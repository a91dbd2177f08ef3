using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Molt.Compilation.Delta;

namespace Molt.Compilation;

internal sealed partial class ModuleCompiler
{
    // A chain is restarted by a full compile after this many deltas, or once its heaps grew too much
    // (DeltaChain.Grown): the image stays near a full compile's size.
    private const int MaxChainLength = 100;

    /// <summary>
    /// Emits an edit that changed method bodies only as an edit-and-continue delta of the previous
    /// image and merges it into a new standalone image: the cost follows the edit, not the module.
    /// Returns <see langword="null"/> with the reason when the edit is not one the merge reproduces
    /// exactly as a full compile would; the caller then compiles the module whole.
    /// </summary>
    private (CompiledModule? Module, string? Refused) TryEmitDelta(EmitInput input, Microsoft.CodeAnalysis.Compilation compilation, List<ModuleDiagnostic> diagnostics)
    {
        if (!_options.PartialCompiles)
        {
            return (null, "partial compiles are off");
        }

        if (input.Previous is not { Compilation: { } before, Pdb: { } previousPdb } previous || previous.Reused || (input.HasDependents && previous.ApiHash is null))
        {
            return (null, "no previous compilation with its image");
        }

        var oldTrees = before.SyntaxTrees.ToDictionary(t => t.FilePath, StringComparer.Ordinal);
        if (oldTrees.Count != compilation.SyntaxTrees.Count() || compilation.SyntaxTrees.Any(t => !oldTrees.ContainsKey(t.FilePath)))
        {
            return (null, "files were added or removed");
        }

        var edited = compilation.SyntaxTrees.Where(t => oldTrees[t.FilePath] != t).Select(t => new TreeEdit(oldTrees[t.FilePath], t)).ToArray();
        var (edits, refused) = BodyEdits.Find(before, compilation, edited);
        if (refused is not null)
        {
            return (null, refused);
        }

        // The edited files' diagnostics come from binding them again; the other files' are the previous compile's.
        var fresh = new List<ModuleDiagnostic>();
        foreach (var edit in edited)
        {
            foreach (var diagnostic in compilation.GetSemanticModel(edit.New).GetDiagnostics())
            {
                if (diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                {
                    return (null, "the edited files have errors");
                }

                if (diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && !diagnostic.IsSuppressed)
                {
                    fresh.Add(ToDiagnostic(input.Source.Name, diagnostic));
                }
            }
        }

        var state = previous.Delta ?? DeltaState.Start(before, previous.Image, previousPdb);
        if (state.Chain.Length >= MaxChainLength || state.Chain.Grown)
        {
            return (null, "the delta chain is long enough to start again from a full compile");
        }

        using var metadata = new MemoryStream();
        using var il = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.EmitDifference(state.Baseline, edits, _ => false, metadata, il, pdb);
        if (!result.Success)
        {
            return (null, "the delta did not emit");
        }

        try
        {
            var (chain, image, mergedPdb) = state.Chain.Apply(metadata.ToArray(), il.ToArray(), pdb.ToArray(), edits.Length);
            IReadOnlyList<ModuleDiagnostic> warnings = [.. ModuleWideWarnings.Carry(previous.Warnings, edited), .. fresh];
            diagnostics.AddRange(warnings);
            return (new CompiledModule(input.AssemblyName, image, mergedPdb, compilation)
            {
                ApiHash = previous.ApiHash,
                Warnings = warnings,
                Delta = new DeltaState(result.Baseline!, chain),
                MergedDelta = true,
            }, null);
        }
        catch (Exception ex) when (ex is MergeRefusedException or BadImageFormatException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
        {
            return (null, ex.Message);
        }
    }
}
