using System.Collections.Immutable;
using Molt.Compilation;
using Molt.Loading;
using Molt.Modules;
using Molt.Reloading;

namespace Molt;

public sealed partial class MoltEngine
{
    /// <summary>
    /// Compiles every module as a first start would, without loading or running anything
    /// (<c>molt check</c>). Independent of what is loaded: nothing is swapped, no hook runs.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; a compile that started runs to its end.</param>
    /// <returns>
    /// A result with trigger <c>check</c>: <see cref="ReloadResult.Succeeded"/> when every module
    /// compiles, <see cref="ReloadResult.Changes"/> listing every module found (as added), and the
    /// diagnostics. Its generation is the engine's current one.
    /// </returns>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    public async Task<ReloadResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Under the reload gate because the compiler's caches are shared with reloads.
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LargeStack.RunAsync(CheckAll).ConfigureAwait(false);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private ReloadResult CheckAll()
    {
        var startedAt = _options.TimeProvider.GetUtcNow();
        var clock = new PhaseClock();
        var diagnostics = new List<ModuleDiagnostic>();
        IReadOnlyList<ModuleSource> sources = [];
        try
        {
            sources = _scanner.Scan(diagnostics);
        }
        catch (ModuleScanException ex)
        {
            diagnostics.Add(ex.Diagnostic);
        }

        clock.EndScan();
        var present = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var changes = sources.Select(s => new ModuleChange(s.Name, ModuleChangeKind.Added, 0, [.. s.FilePaths])).ToArray();
        string? error = HasErrors(diagnostics) ? "the modules could not be read" : null;
        if (error is null)
        {
            // As if nothing were loaded: every module is new and compiled against its fresh dependencies.
            var none = ImmutableDictionary<string, Generation>.Empty.WithComparers(StringComparer.Ordinal);
            var all = present.Keys.ToHashSet(StringComparer.Ordinal);
            var parsed = new Dictionary<string, ParsedModule>(StringComparer.Ordinal);
            var dependencies = ReadDependencies(present, none, all, parsed, diagnostics);
            var order = new DependencyGraph(dependencies, m => present[m].Order).Sort(out var cycle);
            if (cycle.Count > 0)
            {
                diagnostics.Add(CycleDiagnostic(cycle));
            }

            if (HasErrors(diagnostics))
            {
                error = "the modules' dependencies are wrong";
            }
            else if (Compile([.. order], present, dependencies, parsed, none, all, diagnostics) is null)
            {
                error = $"compile errors in {string.Join(", ", diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Module).Distinct())}";
            }
        }

        clock.EndCompile();
        return new ReloadResult
        {
            Succeeded = error is null,
            Generation = Generation,
            Trigger = "check",
            Changes = changes,
            Diagnostics = [.. diagnostics],
            Timings = clock.Timings(),
            StartedAt = startedAt,
            Error = error,
        };
    }
}
