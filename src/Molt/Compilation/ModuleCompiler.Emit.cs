using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Molt.Compilation;

/// <summary>What one emit needs once the references are decided: the host and the compile server both start here.</summary>
/// <param name="Source">The module (diagnostics carry its name and path).</param>
/// <param name="AssemblyName">The assembly to emit.</param>
/// <param name="Trees">The module's syntax trees.</param>
/// <param name="References">Every metadata reference, in order.</param>
/// <param name="Previous">The module's previous compile: its compilation is reused when its references are the same objects, and a body edit is emitted as a delta of its image.</param>
/// <param name="HasDependents">Whether to compute the API hash.</param>
internal sealed record EmitInput(
    Molt.Modules.ModuleSource Source,
    string AssemblyName,
    ImmutableArray<SyntaxTree> Trees,
    ImmutableArray<MetadataReference> References,
    CompiledModule? Previous,
    bool HasDependents)
{
    /// <summary>Gets a value indicating whether this is the warm-up edit, which goes the delta way whatever the JIT state (it is what jits it).</summary>
    public bool WarmingUp { get; init; }
}

internal sealed partial class ModuleCompiler
{
    /// <summary>
    /// Binds and emits one module (PE, PDB and, for a module others depend on, the API hash); adds
    /// its errors and warnings to <paramref name="diagnostics"/>. The image keeps its compilation,
    /// so the module's next edit can reuse it.
    /// </summary>
    internal CompiledModule? Emit(EmitInput input, List<ModuleDiagnostic> diagnostics)
    {
        var reused = CompilationReuse.From(input.Previous?.Compilation, input.AssemblyName, input.Trees, input.References);
        var compilation = reused ?? CreateCompilation(input.AssemblyName, input.Trees, input.References);
        if (!_options.AllowProcessExit && ProcessExitCheck.Find(compilation).ToArray() is { Length: > 0 } exits)
        {
            diagnostics.AddRange(exits.Select(d => ToDiagnostic(input.Source.Name, d)));
            return null;
        }

        string? refused = null;
        if (reused is not null)
        {
            var before = diagnostics.Count;
            CompiledModule? merged;
            try
            {
                (merged, refused) = TryEmitDelta(input, compilation, diagnostics);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A fault of the fast path must not fail an edit the full compile can make.
                (merged, refused) = (null, $"the partial compile failed ({ex.GetType().Name}: {ex.Message})");
            }

            if (merged is not null)
            {
                return merged;
            }

            diagnostics.RemoveRange(before, diagnostics.Count - before);
        }

        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        // The reference assembly only matters to dependents (and costs a little): see ApiHash.
        using var api = input.HasDependents ? new MemoryStream() : null;
        EmitResult result;
        try
        {
            result = compilation.Emit(pe, pdb, metadataPEStream: api, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, includePrivateMembers: false));
        }
        catch (Exception ex) when (ex is InsufficientExecutionStackException or InvalidOperationException or ArgumentException)
        {
            diagnostics.Add(new ModuleDiagnostic(input.Source.Name, input.Source.Path, 0, 0, MoltDiagnosticIds.CompilerFailed, DiagnosticSeverity.Error, $"The compiler failed on this module: {ex.Message}"));
            return null;
        }

        var reported = diagnostics.Count;
        Report(input.Source.Name, result, diagnostics);
        return result.Success
            ? new CompiledModule(input.AssemblyName, pe.ToArray(), pdb.ToArray(), compilation)
            {
                Warnings = diagnostics.Skip(reported).Where(d => d.Severity == DiagnosticSeverity.Warning).ToArray(),
                DeltaRefused = refused,
                ApiHash = api is null ? null : Convert.ToHexStringLower(SHA256.HashData(api.GetBuffer().AsSpan(0, (int)api.Length))),
            }
            : null;
    }

    /// <summary>Adds the compile's errors and warnings to <paramref name="diagnostics"/>.</summary>
    private static void Report(string module, EmitResult result, List<ModuleDiagnostic> diagnostics)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            if (diagnostic.Severity is Microsoft.CodeAnalysis.DiagnosticSeverity.Error or Microsoft.CodeAnalysis.DiagnosticSeverity.Warning
                && !diagnostic.IsSuppressed)
            {
                diagnostics.Add(ToDiagnostic(module, diagnostic));
            }
        }
    }

    internal static ModuleDiagnostic ToDiagnostic(string module, Diagnostic diagnostic)
    {
        var at = SourceSpot.Of(diagnostic.Location);
        return new ModuleDiagnostic(
            module,
            at.File,
            at.Line,
            at.Column,
            diagnostic.Id,
            diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
