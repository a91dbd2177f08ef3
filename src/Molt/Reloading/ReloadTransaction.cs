using Molt.Activation;
using Molt.Compilation;
using Molt.Loading;

namespace Molt.Reloading;

/// <summary>
/// One reload, as the README tells it: scan, compile, load (with state staged), switch, retire.
/// Each stage records the undo of what it opens in an <see cref="UndoLog"/>; whatever throws before
/// the switch, expected or not, fails the reload and undoes exactly that, so the engine is ready for
/// the next one. Runs under the engine's reload gate.
/// </summary>
internal sealed class ReloadTransaction(ReloadStages stages, string trigger, Action<SwitchedEventArgs>? switched = null)
{
    private readonly List<ModuleDiagnostic> _diagnostics = [];
    private readonly PhaseClock _clock = new(stages.Services.Options.TimeProvider);
    private readonly DateTimeOffset _startedAt = stages.Services.Options.TimeProvider.GetUtcNow();
    private IReadOnlyList<ModuleChange> _changes = [];
    private IReadOnlyList<(string Path, Modules.FileStamp Stamp)> _filesRead = [];

    public async Task<ReloadResult> RunAsync()
    {
        var undo = new UndoLog(stages.Services.Logger);
        try
        {
            var (plan, images, early) = await CompileAsync().ConfigureAwait(false);
            if (early is not null)
            {
                return early;
            }

            // 3. Load and initialise the new generations, their state staged; resolve every entry point.
            var staged = await stages.Activator.ActivateAsync(plan!, images!, undo, _diagnostics).ConfigureAwait(false);
            _clock.EndLoad();

            // 4. Switch: the state commit, then every entry point in one write, every hook, the new timers.
            // On a large stack when there is state: the commit migrates again the values written since staging.
            var state = stages.Services.State.Store.Count > 0
                ? await LargeStack.RunAsync(() => stages.Switcher.Switch(staged, undo, _diagnostics)).ConfigureAwait(false)
                : stages.Switcher.Switch(staged, undo, _diagnostics);
            _clock.EndSwitch();
            switched?.Invoke(new SwitchedEventArgs(stages.Services.Modules.EngineGeneration,
                [.. staged.Fresh.Select(g => g.Module).Union(staged.Retiring.Select(g => g.Module))]));
            stages.Services.Modules.Applied(trigger, stages.Services.Options.TimeProvider.GetUtcNow());
            stages.Priming.After(staged.Fresh);

            // 5. Retire the old generations, dependents before what they depend on.
            foreach (var generation in staged.Retiring.Reverse())
            {
                await RetireAsync(generation).ConfigureAwait(false);
            }

            _clock.EndRetire();
            return Result(true) with { State = state };
        }
        catch (Exception ex)
        {
            // Any failure, expected or not, takes the same way out: what was opened is undone, the
            // serving generations and their state are untouched, the engine is ready for the next reload.
            _diagnostics.Add(ex is ModuleLoadException load ? load.Diagnostic : InternalError(ex));
            var report = (ex as ModuleLoadException)?.StateReport;
            await undo.RollBackAsync(_diagnostics).ConfigureAwait(false);
            stages.Services.Modules.Reserve(_changes);
            _clock.EndLoad();
            return Result(false) with { State = report is null ? [] : StateStaging.Report(report, []) };
        }
    }

    /// <summary>Steps 1 and 2: the plan and every image it needs, or the result to return without loading anything.</summary>
    /// <remarks>
    /// A file saved a moment ago is read and compiled at once rather than after its quiet period:
    /// the period runs out while it compiles, and then the file must still be the one read, or the
    /// save was still being written and the reload starts over (its compile, good or bad, is never
    /// reported). Having seen a writer at work, it then waits for the files to be quiet for longer
    /// than the quiet period (<see cref="Modules.ReadMode.WriterSeen"/>), as a writer that pauses needs.
    /// </remarks>
    private async Task<(ReloadPlan? Plan, IReadOnlyDictionary<string, CompiledModule>? Images, ReloadResult? Early)> CompileAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var reported = _diagnostics.Count;
            var (scan, plan, compiled, early) = await CompileOnceAsync(attempt == 1 ? Modules.ReadMode.Provisional : Modules.ReadMode.WriterSeen).ConfigureAwait(false);
            if (early is not null)
            {
                return (null, null, early);
            }

            if (scan.QuietAt is { } quietAt && !await StayedQuietAsync(scan, quietAt).ConfigureAwait(false))
            {
                _diagnostics.RemoveRange(reported, _diagnostics.Count - reported);
                _changes = [];
                continue;
            }

            if (compiled?.Images is not { } images)
            {
                stages.Services.Modules.Reserve(_changes);
                return (null, null, stages.Failures.Remember(scan.Fingerprint, Result(false)));
            }

            stages.Failures.Clear();
            _changes = [.. _changes.Select(c => images.TryGetValue(c.Module, out var m)
                ? c with { FromCache = m.FromCache, ReusedImage = m.Reused, PartialCompile = m.MergedDelta, WholeCompileReason = m.DeltaRefused }
                : c)];
            return (plan, images, null);
        }
    }

    private async Task<(ChangeSet Scan, ReloadPlan? Plan, CompileOutput? Compiled, ReloadResult? Early)> CompileOnceAsync(Modules.ReadMode mode)
    {
        // 1. Scan: what changed against what serves.
        stages.Services.Faults?.Hit(ReloadPhase.Scan);
        var scan = stages.Planner.Scan(stages.Services.Modules.Current, mode);
        _filesRead = [.. scan.Present.Values.SelectMany(s => s.Files).Select(f => (f.Path, f.Stamp))];
        _diagnostics.AddRange(scan.Diagnostics);
        _clock.EndScan();
        if (scan.Failed || scan.IsEmpty)
        {
            return (scan, null, null, scan.Failed ? Result(false) : Result(true) with { UnchangedSince = stages.Services.Modules.LastApplied });
        }

        if (stages.Failures.Repeat(scan.Fingerprint) is { } repeated)
        {
            return (scan, null, null, repeated with { Repeated = true, Trigger = trigger, StartedAt = _startedAt, Timings = _clock.Timings(), FilesRead = _filesRead });
        }

        // 2. Compile every affected module, dependencies first.
        stages.Services.Faults?.Hit(ReloadPhase.Plan);
        var plan = await stages.Planner.PlanAsync(scan).ConfigureAwait(false);
        _diagnostics.AddRange(plan.Diagnostics);
        _changes = plan.Changes;
        var compiled = plan.Failed ? null : await stages.Compiler.CompileAsync(plan).ConfigureAwait(false);
        _diagnostics.AddRange(compiled?.Diagnostics ?? []);
        _clock.EndCompile();
        return (scan, plan, compiled, null);
    }

    /// <summary>Waits until the files read early have been quiet for the quiet period (the file system's clock), then says whether they are unchanged.</summary>
    private static async Task<bool> StayedQuietAsync(ChangeSet scan, DateTime quietAt)
    {
        var wait = quietAt - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }

        return scan.StillCurrent();
    }

    /// <summary>
    /// Retires one old generation. Past the switch nothing may fail the reload (the new generation
    /// serves) and the old generation must still go: a failure is a warning and the retirement is
    /// tried once more (the retirer never throws itself, and returns at once for a detached generation).
    /// </summary>
    private async Task RetireAsync(Generation generation)
    {
        var retirer = stages.Services.Retirer;
        try
        {
            stages.Services.Faults?.Hit(ReloadPhase.Retire);
            await retirer.RetireAsync(generation, discarded: false, _diagnostics).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var step = $"retiring {generation.DisplayName}";
            Log.SwitchStepFailed(stages.Services.Logger, step, ex);
            _diagnostics.Add(new ModuleDiagnostic(generation.Module, null, 0, 0, MoltDiagnosticIds.InternalError, DiagnosticSeverity.Warning,
                $"The new generation serves, but {step} failed: {ex.GetType().Name}: {ex.Message}"));
            await retirer.RetireAsync(generation, discarded: false, _diagnostics).ConfigureAwait(false);
        }
    }

    private ModuleDiagnostic InternalError(Exception ex)
    {
        Log.InternalError(stages.Services.Logger, trigger, ex);
        return new ModuleDiagnostic(null, null, 0, 0, MoltDiagnosticIds.InternalError, DiagnosticSeverity.Error, $"Internal error during the reload: {Texts.Bounded(ex.ToString())}");
    }

    private ReloadResult Result(bool succeeded) => new()
    {
        Succeeded = succeeded,
        Generation = stages.Services.Modules.EngineGeneration,
        Trigger = trigger,
        Changes = _changes,
        Diagnostics = [.. _diagnostics],
        Timings = _clock.Timings(),
        StartedAt = _startedAt,
        Error = succeeded ? null : FailureSummary.Of(_diagnostics),
        FilesRead = _filesRead,
    };
}
