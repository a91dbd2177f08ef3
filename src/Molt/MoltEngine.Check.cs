using System.Collections.Immutable;
using Molt.Loading;
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
    public Task<ReloadResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Detached.From(CheckUnderGateAsync(cancellationToken));
    }

    private async Task<ReloadResult> CheckUnderGateAsync(CancellationToken cancellationToken)
    {
        // Under the reload gate because the compiler's caches are shared with reloads.
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CheckAllAsync().ConfigureAwait(false);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>The planner and compile stages of a first start: every module is new, compiled against its fresh dependencies.</summary>
    private async Task<ReloadResult> CheckAllAsync()
    {
        var startedAt = _options.TimeProvider.GetUtcNow();
        var clock = new PhaseClock(_options.TimeProvider);
        var scan = _stages.Planner.Scan(ImmutableDictionary<string, Generation>.Empty.WithComparers(StringComparer.Ordinal));
        clock.EndScan();
        var diagnostics = new List<ModuleDiagnostic>(scan.Diagnostics);
        if (!scan.Failed)
        {
            var plan = await _stages.Planner.PlanAsync(scan).ConfigureAwait(false);
            diagnostics.AddRange(plan.Diagnostics);
            if (!plan.Failed)
            {
                diagnostics.AddRange((await _stages.Compiler.CompileAsync(plan).ConfigureAwait(false)).Diagnostics);
            }
        }

        clock.EndCompile();
        var failed = diagnostics.Exists(d => d.Severity == DiagnosticSeverity.Error);
        return new ReloadResult
        {
            Succeeded = !failed,
            Generation = Generation,
            Trigger = "check",
            Changes = [.. scan.Present.Values.OrderBy(s => s.Order).Select(s => new ModuleChange(s.Name, ModuleChangeKind.Added, 0, [.. s.FilePaths]))],
            Diagnostics = [.. diagnostics],
            Timings = clock.Timings(),
            StartedAt = startedAt,
            Error = failed ? FailureSummary.Of(diagnostics) : null,
        };
    }
}
