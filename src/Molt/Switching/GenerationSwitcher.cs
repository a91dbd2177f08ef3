using Molt.Activation;
using Molt.Loading;
using Molt.Reloading;

namespace Molt.Switching;

/// <summary>
/// The fourth stage of a reload: commits the staged state and, in the same breath, switches every
/// entry point, hook and timer to the new generations. The state commit is the last thing that can
/// fail the reload; after it nothing may, so each later step is isolated and reported instead.
/// </summary>
internal sealed class GenerationSwitcher(ReloadServices services)
{
    /// <summary>Switches to <paramref name="staged"/>.</summary>
    /// <returns>What happened to each persistent value.</returns>
    /// <exception cref="ModuleLoadException">The state could not be committed (a late write could not be migrated): nothing switched.</exception>
    public IReadOnlyList<StateChange> Switch(StagedReload staged, UndoLog undo, List<ModuleDiagnostic> diagnostics)
    {
        services.Faults?.Hit(ReloadPhase.Commit);
        var report = staged.State.Commit();
        StateStaging.ThrowIfFailed(report, staged.Fresh);

        // The point of no return: the new generations serve from here on, whatever happens next.
        undo.Forget();
        foreach (var generation in staged.Fresh)
        {
            generation.Context.MarkServing();
        }

        services.Entries.Table.Publish(staged.Entries);
        var changes = StateStaging.Report(report, diagnostics);
        Isolated("ending the state transaction", diagnostics, () =>
        {
            services.State.End();
            staged.State.Dispose();
        });
        Isolated("releasing held calls", diagnostics, () =>
        {
            foreach (var generation in staged.Retiring)
            {
                generation.EndQuiesce();
            }
        });
        Isolated("switching hooks", diagnostics, () =>
        {
            services.Faults?.Hit(ReloadPhase.Switch);
            HookSwap.Swap(staged.Retiring, staged.Fresh);
        });

        // Apart from the hooks: a failed hook swap must not leave the new generations without their timers.
        Isolated("starting the new generations' timers", diagnostics, () =>
        {
            foreach (var generation in staged.Fresh)
            {
                generation.Context.Activate();
            }
        });
        services.Modules.Switch(staged.Retiring.Select(g => g.Module).Where(m => !staged.Fresh.Any(f => f.Module == m)), staged.Fresh);
        return changes;
    }

    private void Isolated(string step, List<ModuleDiagnostic> diagnostics, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Log.SwitchStepFailed(services.Logger, step, ex);
            diagnostics.Add(new ModuleDiagnostic(null, null, 0, 0, MoltDiagnosticIds.InternalError, DiagnosticSeverity.Warning,
                $"The new generation serves, but {step} failed: {ex.GetType().Name}: {ex.Message}"));
        }
    }
}
