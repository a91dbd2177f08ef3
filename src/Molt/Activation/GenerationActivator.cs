using System.Collections.Immutable;
using System.Reflection;
using Molt.Compilation;
using Molt.Loading;
using Molt.Reloading;

namespace Molt.Activation;

/// <summary>
/// The third stage of a reload: loads every planned module's image into a new generation, stages
/// the persistent state for them, runs their load hooks, resolves every entry point against them,
/// and (with <see cref="MoltOptions.QuiesceBeforeSwitch"/>) holds the retiring generations' tracked
/// calls. Each thing it opens is recorded in the reload's <see cref="UndoLog"/> as it is opened.
/// </summary>
internal sealed class GenerationActivator(ReloadServices services)
{
    private MoltOptions Options => services.Options;

    public async Task<StagedReload> ActivateAsync(ReloadPlan plan, IReadOnlyDictionary<string, CompiledModule> images, UndoLog undo, List<ModuleDiagnostic> diagnostics)
    {
        var live = plan.Scan.Live;
        var retiring = plan.Ordered.Where(live.ContainsKey).Concat(plan.Removed).Select(m => live[m]).ToArray();
        var fresh = new List<Generation>(plan.Ordered.Length);
        foreach (var module in plan.Ordered)
        {
            var build = new ModuleBuild(plan.Scan.Present[module], services.Modules.TakeNumber(module), images[module], plan.Dependencies[module], Options.TimeProvider.GetUtcNow());
            var generation = await LoadAsync(build, fresh, live).ConfigureAwait(false);
            fresh.Add(generation);
            undo.Push($"discard {generation.DisplayName}", () => new ValueTask(services.Retirer.RetireAsync(generation, discarded: true, diagnostics)));
        }

        // Held from before staging: no tracked call changes the state (in place, or through a
        // [Persistent] static) while it is read, migrated and committed.
        if (Options.QuiesceBeforeSwitch)
        {
            await QuiesceAsync(retiring, undo).ConfigureAwait(false);
        }

        // On a large stack when there is state: a value's graph is walked recursively, and a long
        // linked list is deep. (Without state, the thread would only cost time.)
        State.StateMigrationTransaction Begin()
        {
            services.Faults?.Hit(ReloadPhase.StateStaging);
            return StateStaging.Begin(services.State.Store, retiring, fresh);
        }

        var state = services.State.Store.Count > 0 ? await LargeStack.RunAsync(Begin).ConfigureAwait(false) : Begin();
        undo.Push("abort the state transaction", () =>
        {
            services.State.End();
            state.Dispose();
        });
        services.State.Begin(state, fresh.Select(g => g.Context));
        var persistent = fresh.Where(PersistentStaticSupport.Attach).ToHashSet();
        await InitialiseAllAsync(new Initialisation(fresh, live, state, persistent), diagnostics).ConfigureAwait(false);
        state.DropOrphans(scope => fresh.Any(g => g.Module == scope) || plan.Removed.Contains(scope));
        StateStaging.ThrowIfFailed(state.Report, fresh);

        services.Faults?.Hit(ReloadPhase.EntryPoints);
        var entries = services.Entries.ResolveAll(fresh, plan.Removed, diagnostics);
        return new StagedReload(fresh, retiring, entries, state);
    }

    /// <summary>Loads a build into a new load context, running its static constructors under the load timeout.</summary>
    private async Task<Generation> LoadAsync(ModuleBuild build, List<Generation> fresh, ImmutableDictionary<string, Generation> live)
    {
        var linked = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        var sameDependencies = true;
        foreach (var dependency in build.Dependencies)
        {
            var target = fresh.FirstOrDefault(g => g.Module == dependency);
            sameDependencies &= target is null;
            target ??= live[dependency];
            linked[target.Compiled.AssemblyName] = target.Assembly;
        }

        // A body edit merged into the serving generation's image, linked to the same dependencies
        // (every generation of a module is linked to the then-current ones), has its types exactly.
        var typesProven = sameDependencies && build.Compiled.DeltaBase is { } merged
            && live.TryGetValue(build.Module, out var serving) && serving.Index.Mvid == merged;

        // Loading runs the module's static constructors and its IModule constructor: module code,
        // so it gets the load timeout like the load hook (a static constructor can loop forever).
        // On a thread of its own, like every hook: a static constructor that never returns must not
        // hold a thread-pool thread forever.
        var loading = Task.Factory.StartNew(() =>
        {
            services.Faults?.Hit(ReloadPhase.Load);
            return GenerationLoader.Load(build, linked, typesProven, services.Images);
        }, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        var failure = await HookRunner.WaitAsync(loading, Options.LoadTimeout, Options.TimeProvider).ConfigureAwait(false);
        if (failure is not null)
        {
            if (failure.TimedOut)
            {
                // The load still runs and cannot be stopped: unload what it loads once it is done.
                _ = loading.ContinueWith(t => services.Retirer.UnloadOrphan(build, t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }

            throw failure.Exception ?? new ModuleLoadException(failure.ToDiagnostic(build, "loading (static constructors)",
                failure.TimedOut ? MoltDiagnosticIds.LoadTimedOut : MoltDiagnosticIds.InternalError));
        }

        var context = new ModuleContext(build, !services.Modules.WasLoaded(build.Module), services.Contexts);
        return new Generation(build, loading.Result, context);
    }

    /// <summary>
    /// Runs every load hook. The state's failures are decided after them, by the policies the new
    /// generations declare; a hook that fails on a value that could not be migrated reports that.
    /// </summary>
    private async Task InitialiseAllAsync(Initialisation work, List<ModuleDiagnostic> diagnostics)
    {
        try
        {
            foreach (var generation in work.Fresh)
            {
                await InitialiseAsync(generation, work.Live.GetValueOrDefault(generation.Module), work.Persistent.Contains(generation), diagnostics).ConfigureAwait(false);
            }
        }
        catch (ModuleLoadException) when (!work.State.Report.Succeeded)
        {
            StateStaging.ThrowIfFailed(work.State.Report, work.Fresh);
            throw;
        }
    }

    /// <summary>Hands the serving generation's handover to the new one and runs the new one's load hook.</summary>
    private async Task InitialiseAsync(Generation generation, Generation? previous, bool persistent, List<ModuleDiagnostic> diagnostics)
    {
        generation.Context.ReceiveHandover(await HandOverAsync(previous, diagnostics).ConfigureAwait(false));
        if (persistent)
        {
            // Every [Persistent] static is bound (declared) before the load hook, so each takes part
            // in this reload's migration whether or not the load hook touches it.
            var failure = await HookRunner.RunAsync(
                () =>
                {
                    PersistentStaticSupport.BindAll(generation);
                    return ValueTask.CompletedTask;
                },
                Options.LoadTimeout,
                Options.TimeProvider).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new ModuleLoadException(failure.ToDiagnostic(generation.Build, "binding of its [Persistent] statics",
                    failure.TimedOut ? MoltDiagnosticIds.LoadTimedOut : MoltDiagnosticIds.LoadHookThrew));
            }
        }

        if (generation.Lifecycle is { } lifecycle)
        {
            var failure = await HookRunner.RunAsync(
                () =>
                {
                    services.Faults?.Hit(ReloadPhase.LoadHook);
                    return lifecycle.OnLoadAsync(generation.Context);
                },
                Options.LoadTimeout,
                Options.TimeProvider).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new ModuleLoadException(failure.ToDiagnostic(generation.Build, "load hook",
                    failure.TimedOut ? MoltDiagnosticIds.LoadTimedOut : MoltDiagnosticIds.LoadHookThrew));
            }
        }

        generation.MarkInitialised();
    }

    private async Task<object?> HandOverAsync(Generation? previous, List<ModuleDiagnostic> diagnostics)
    {
        if (previous?.Lifecycle is not { } lifecycle)
        {
            return null;
        }

        object? handover = null;
        var context = previous.Context;
        var failure = await HookRunner.RunAsync(
            () =>
            {
                handover = lifecycle.OnHandover(context);
                return ValueTask.CompletedTask;
            },
            Options.LoadTimeout,
            Options.TimeProvider).ConfigureAwait(false);
        if (failure is not null)
        {
            // The old code cannot be fixed any more: a broken handover must not block every future reload.
            diagnostics.Add(failure.ToDiagnostic(previous.Build, "handover hook", MoltDiagnosticIds.HandoverHookFailed) with { Severity = DiagnosticSeverity.Warning });
            return null;
        }

        return handover;
    }

    /// <summary>What the load hooks of a reload work with.</summary>
    private sealed record Initialisation(List<Generation> Fresh, ImmutableDictionary<string, Generation> Live, State.StateMigrationTransaction State, HashSet<Generation> Persistent);

    /// <summary>Holds new tracked calls into the retiring generations and waits for the running ones.</summary>
    private async Task QuiesceAsync(Generation[] retiring, UndoLog undo)
    {
        foreach (var generation in retiring)
        {
            generation.BeginQuiesce();
        }

        undo.Push("release the calls held for the switch", () =>
        {
            foreach (var generation in retiring)
            {
                generation.EndQuiesce();
            }
        });
        foreach (var generation in retiring)
        {
            await services.Retirer.DrainAsync(generation).ConfigureAwait(false);
        }
    }
}
