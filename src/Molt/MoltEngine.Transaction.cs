using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Molt.Compilation;
using Molt.EntryPoints;
using Molt.Loading;
using Molt.Modules;
using Molt.Reloading;
using Molt.Retirement;
using Molt.State;

namespace Molt;

public sealed partial class MoltEngine
{
    /// <summary>One reload: scan, compile, load, switch, retire. Runs under the reload gate.</summary>
    private async Task<ReloadResult> TransactAsync(string trigger)
    {
        var startedAt = _options.TimeProvider.GetUtcNow();
        var clock = new PhaseClock();
        var diagnostics = new List<ModuleDiagnostic>();
        Raise(Reloading, new ReloadingEventArgs(trigger), nameof(Reloading));

        ReloadResult Result(bool succeeded, IReadOnlyList<ModuleChange> changes, string? error) => new()
        {
            Succeeded = succeeded,
            Generation = Generation,
            Trigger = trigger,
            Changes = changes,
            Diagnostics = [.. diagnostics],
            Timings = clock.Timings(),
            StartedAt = startedAt,
            Error = error,
        };

        // 1. Scan and work out the change set.
        IReadOnlyList<ModuleSource> sources = [];
        try
        {
            sources = _scanner.Scan(diagnostics);
        }
        catch (ModuleScanException ex)
        {
            diagnostics.Add(ex.Diagnostic);
        }

        var live = _live;
        _compiler.Forget(sources);
        clock.EndScan();
        if (HasErrors(diagnostics))
        {
            return Result(false, [], "the modules could not be read");
        }

        var present = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var changed = sources.Where(s => !live.TryGetValue(s.Name, out var g) || g.Source.Hash != s.Hash).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var removed = live.Keys.Where(k => !present.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        if (changed.Count == 0 && removed.Length == 0)
        {
            return Result(true, [], null);
        }

        // Compile errors depend only on the files and the generations compiled against: the
        // same content fails the same way, so a poll or watcher does not recompile it again.
        var fingerprint = Fingerprint(sources, live);
        if (_lastCompileFailure is { } last && last.Fingerprint == fingerprint)
        {
            return last.Result with { Repeated = true, Trigger = trigger, StartedAt = startedAt, Timings = clock.Timings() };
        }

        // 2. Dependencies, order, and compiles of every affected module.
        var parsed = new Dictionary<string, ParsedModule>(StringComparer.Ordinal);
        var dependencies = await LargeStack.RunAsync(() => ReadDependencies(present, live, changed, parsed, diagnostics)).ConfigureAwait(false);
        var graph = new DependencyGraph(dependencies, m => present[m].Order);
        var loadOrder = graph.Sort(out var cycle);
        if (cycle.Count > 0)
        {
            diagnostics.Add(CycleDiagnostic(cycle));
        }

        var affected = graph.WithDependents(changed.Concat(removed));
        var ordered = loadOrder.Where(affected.Contains).ToArray();
        var changes = Describe(ordered, removed, changed, present, live);
        if (HasErrors(diagnostics))
        {
            clock.EndCompile();
            return RememberCompileFailure(fingerprint, Result(false, changes, "the modules' dependencies are wrong"));
        }

        var compiled = await LargeStack.RunAsync(() => Compile(ordered, present, dependencies, parsed, live, changed, diagnostics)).ConfigureAwait(false);
        clock.EndCompile();
        if (compiled is null)
        {
            return RememberCompileFailure(fingerprint, Result(false, changes,
                $"compile errors in {string.Join(", ", diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Module).Distinct())}"));
        }

        _lastCompileFailure = null;
        changes = [.. changes.Select(c => compiled.TryGetValue(c.Module, out var m) && (m.FromCache || m.Reused) ? c with { FromCache = m.FromCache, ReusedImage = m.Reused } : c)];

        // 3. Load the new generation and initialise it, with its persistent state staged by a state
        //    transaction; then resolve every entry point against it.
        var retiring = ordered.Where(live.ContainsKey).Select(m => live[m]).Concat(removed.Select(m => live[m])).ToArray();
        var fresh = new List<Generation>(ordered.Length);
        EntrySnapshot snapshot;
        IReadOnlyList<StateChange> state;
        StateMigrationTransaction? stateTransaction = null;
        try
        {
            foreach (var module in ordered)
            {
                await LoadAssemblyAsync(present[module], compiled[module], dependencies[module], fresh, live).ConfigureAwait(false);
            }

            stateTransaction = BeginStateMigration(retiring, fresh);
            _stateAccess.Begin(stateTransaction, fresh);
            ThrowIfStateFailed(stateTransaction.Report, fresh);
            foreach (var generation in fresh)
            {
                await InitialiseAsync(generation, live, diagnostics).ConfigureAwait(false);
            }

            snapshot = ResolveEntryPoints(fresh, removed, diagnostics);
            if (_options.QuiesceBeforeSwitch)
            {
                foreach (var generation in retiring)
                {
                    generation.BeginQuiesce();
                }

                foreach (var generation in retiring)
                {
                    await DrainAsync(generation).ConfigureAwait(false);
                }
            }

            // 4. Switch: persistent state first (old generation's late writes are migrated again under
            //    the store's gate), then every entry point in one write, every hook, the new timers.
            var report = stateTransaction.Commit();
            ThrowIfStateFailed(report, fresh);
            state = Report(report, diagnostics);
        }
        catch (Exception ex)
        {
            // Any failure, expected or not, takes the same way out: the new generation is discarded,
            // the state transaction aborted, and the engine stays usable for the next reload.
            var diagnostic = ex is ModuleLoadException load ? load.Diagnostic
                : new ModuleDiagnostic(fresh.Count > 0 ? fresh[^1].Module : null, null, 0, 0, "MOLT099", DiagnosticSeverity.Error, $"Internal error while loading: {ex}");
            EndQuiesce(retiring);
            diagnostics.Add(diagnostic);
            stateTransaction?.Dispose();
            _stateAccess.End();
            await DiscardAsync(fresh, diagnostics).ConfigureAwait(false);
            clock.EndLoad();
            return Result(false, changes, diagnostic.Message) with { State = stateTransaction is null ? [] : Report(stateTransaction.Report, []) };
        }

        _stateAccess.End();
        stateTransaction.Dispose();
        clock.EndLoad();

        _table.Publish(snapshot);
        EndQuiesce(retiring);
        SwapHooks(retiring, fresh);
        foreach (var generation in fresh)
        {
            generation.Context!.Activate();
            _everLoaded.Add(generation.Module);
            _generationNumbers[generation.Module] = generation.Number;
        }

        _live = live.RemoveRange(removed).SetItems(fresh.Select(g => KeyValuePair.Create(g.Module, g)));
        Interlocked.Increment(ref _generation);
        clock.EndSwitch();
        if (_options.WarmUpCompiler && fresh.Any(g => g.Compiled.FromCache))
        {
            _priming = PrimeAsync(_priming, [.. fresh.Where(g => g.Compiled.FromCache)], _live);
        }

        // 5. Retire the old generation, dependents before what they depend on.
        foreach (var generation in retiring.Reverse())
        {
            await RetireAsync(generation, discarded: false, diagnostics).ConfigureAwait(false);
        }

        clock.EndRetire();
        return Result(true, changes, null) with { State = state };
    }

    private Dictionary<string, ImmutableArray<string>> ReadDependencies(
        Dictionary<string, ModuleSource> present,
        ImmutableDictionary<string, Generation> live,
        HashSet<string> changed,
        Dictionary<string, ParsedModule> parsed,
        List<ModuleDiagnostic> diagnostics)
    {
        // Assembly name -> module, so a prebuilt module's references to other modules become dependencies.
        var byAssembly = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var images = new Dictionary<string, (string Name, ImmutableArray<string> References)>(StringComparer.Ordinal);
        foreach (var source in present.Values)
        {
            if (source.Kind != ModuleKind.Assembly)
            {
                byAssembly[ModuleCompiler.AssemblyNameOf(source.Name)] = source.Name;
            }
            else if (!changed.Contains(source.Name))
            {
                byAssembly[live[source.Name].Compiled.AssemblyName] = source.Name;
            }
            else
            {
                try
                {
                    var image = DependencyReader.FromImage(source.Files[0].Content);
                    images[source.Name] = image;
                    byAssembly[image.Name] = source.Name;
                }
                catch (BadImageFormatException ex)
                {
                    diagnostics.Add(new ModuleDiagnostic(source.Name, source.Files[0].Path, 0, 0, "MOLT012", DiagnosticSeverity.Error, $"Not a .NET assembly: {ex.Message}"));
                }
            }
        }

        var result = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var source in present.Values)
        {
            var name = source.Name;
            if (!changed.Contains(name))
            {
                result[name] = live[name].Dependencies;
            }
            else if (source.Kind == ModuleKind.Assembly)
            {
                result[name] = images.TryGetValue(name, out var image)
                    ? [.. image.References.Where(byAssembly.ContainsKey).Select(r => byAssembly[r]).Where(m => m != name).Distinct()]
                    : [];
            }
            else if (_compiler.Parse(source, diagnostics) is { } module)
            {
                parsed[name] = module;
                result[name] = [.. module.Dependencies.Select(d => d.Module).Distinct(StringComparer.Ordinal)];
                foreach (var (dependency, location) in module.Dependencies)
                {
                    var problem = dependency == name ? "a module cannot depend on itself"
                        : !present.ContainsKey(dependency) ? $"there is no module named '{dependency}'"
                        : null;
                    if (problem is not null)
                    {
                        diagnostics.Add(ModuleCompiler.ToDiagnostic(name, Diagnostic.Create(
                            new DiagnosticDescriptor("MOLT014", "Bad dependency", "DependsOn(\"{0}\"): {1}", "Molt", Microsoft.CodeAnalysis.DiagnosticSeverity.Error, true),
                            location,
                            dependency,
                            problem)));
                    }
                }
            }
            else
            {
                result[name] = [];
            }
        }

        // An unchanged module whose dependency disappeared cannot be rebuilt.
        foreach (var (name, on) in result)
        {
            foreach (var missing in on.Where(d => !present.ContainsKey(d) && !changed.Contains(name)))
            {
                diagnostics.Add(new ModuleDiagnostic(name, present[name].Path, 0, 0, "MOLT015", DiagnosticSeverity.Error,
                    $"Module '{name}' depends on '{missing}', which was removed."));
            }
        }

        return result;
    }

    /// <summary>
    /// Compiles the affected modules in dependency order. Modules that do not depend on each other
    /// (a wave: every module whose dependencies in this reload are settled) compile at the same
    /// time, one per core; diagnostics come out in load order whatever finished first.
    /// </summary>
    private Dictionary<string, CompiledModule>? Compile(
        string[] ordered,
        Dictionary<string, ModuleSource> present,
        Dictionary<string, ImmutableArray<string>> dependencies,
        Dictionary<string, ParsedModule> parsed,
        ImmutableDictionary<string, Generation> live,
        IReadOnlySet<string> changed,
        List<ModuleDiagnostic> diagnostics)
    {
        var compiled = new ConcurrentDictionary<string, CompiledModule>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var perModule = ordered.ToDictionary(m => m, _ => new List<ModuleDiagnostic>(), StringComparer.Ordinal);
        var inThisReload = ordered.ToHashSet(StringComparer.Ordinal);
        var dependedOn = dependencies.Values.SelectMany(d => d).ToHashSet(StringComparer.Ordinal);
        var remaining = ordered.ToList();
        while (remaining.Count > 0)
        {
            var wave = remaining
                .Where(m => dependencies[m].All(d => !inThisReload.Contains(d) || compiled.ContainsKey(d) || failed.ContainsKey(d)))
                .ToArray();
            if (wave.Length == 0)
            {
                wave = [remaining[0]]; // cannot happen for a sorted order; never spin
            }

            remaining.RemoveAll(wave.Contains);
            LargeStack.RunAll(wave.Length, i =>
            {
                var module = wave[i];
                var output = (dependencies[module].Any(failed.ContainsKey) ? null : ReuseUnaffected(module, changed, dependencies[module], live, compiled))
                    ?? CompileOne(module, present[module], dependencies[module], dependedOn.Contains(module), parsed, live, compiled, failed, perModule[module]);
                if (output is null)
                {
                    failed[module] = true;
                }
                else
                {
                    compiled[module] = output;
                }
            });
        }

        diagnostics.AddRange(ordered.SelectMany(m => perModule[m]));
        return failed.IsEmpty ? new Dictionary<string, CompiledModule>(compiled, StringComparer.Ordinal) : null;
    }

    /// <summary>
    /// A dependent whose own files did not change, and none of whose dependencies changed its API
    /// in this reload, needs no compile: its previous image is loaded again, bound to the new
    /// generations of its dependencies. (Method bodies are never copied into a dependent; constants,
    /// signatures and everything else a dependent compiles against are in the reference assembly
    /// whose hash is compared.)
    /// </summary>
    private static CompiledModule? ReuseUnaffected(
        string module,
        IReadOnlySet<string> changed,
        ImmutableArray<string> dependsOn,
        ImmutableDictionary<string, Generation> live,
        ConcurrentDictionary<string, CompiledModule> compiled)
    {
        if (changed.Contains(module) || !live.TryGetValue(module, out var previous) || previous.Source.Kind == ModuleKind.Assembly)
        {
            return null;
        }

        foreach (var dependency in dependsOn)
        {
            if (compiled.TryGetValue(dependency, out var now)
                && (now.ApiHash is null || !live.TryGetValue(dependency, out var before) || before.Compiled.ApiHash != now.ApiHash))
            {
                return null;
            }
        }

        // Its compilation is dropped: it was bound to the dependencies' old images, so the next
        // edit could not reuse it, and keeping it would keep those images in memory.
        return previous.Compiled with { Reused = true, FromCache = false, Compilation = null };
    }

    private CompiledModule? CompileOne(
        string module,
        ModuleSource source,
        ImmutableArray<string> dependsOn,
        bool hasDependents,
        Dictionary<string, ParsedModule> parsed,
        ImmutableDictionary<string, Generation> live,
        ConcurrentDictionary<string, CompiledModule> compiled,
        ConcurrentDictionary<string, bool> failed,
        List<ModuleDiagnostic> diagnostics)
    {
        if (dependsOn.FirstOrDefault(failed.ContainsKey) is { } broken)
        {
            diagnostics.Add(new ModuleDiagnostic(module, source.Path, 0, 0, "MOLT016", DiagnosticSeverity.Info, $"Not compiled: it depends on '{broken}', which failed."));
            return null;
        }

        if (source.Kind == ModuleKind.Assembly)
        {
            var (name, _) = DependencyReader.FromImage(source.Files[0].Content);
            var pdb = source.Files.Length > 1 ? source.Files[1].Content : null;
            return new CompiledModule(name, source.Files[0].Content, pdb, null);
        }

        // Read only: every wave is filled before it starts.
        var syntax = parsed.TryGetValue(module, out var p) ? p : _compiler.Parse(source, diagnostics);
        var references = dependsOn
            .Select(d => compiled.TryGetValue(d, out var c) ? c : live[d].Compiled)
            .ToArray();
        return syntax is null ? null : _compiler.Compile(source, syntax, references, live.GetValueOrDefault(module)?.Compiled.Compilation, hasDependents, diagnostics);
    }

    private async Task LoadAssemblyAsync(
        ModuleSource source,
        CompiledModule compiled,
        ImmutableArray<string> dependencies,
        List<Generation> fresh,
        ImmutableDictionary<string, Generation> live)
    {
        var number = _generationNumbers.GetValueOrDefault(source.Name) + 1;
        var generation = new Generation(source, number, compiled, dependencies, _options.TimeProvider.GetUtcNow());
        var linked = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        foreach (var dependency in dependencies)
        {
            var target = fresh.FirstOrDefault(g => g.Module == dependency) ?? live[dependency];
            linked[target.Compiled.AssemblyName] = target.Assembly!;
        }

        // Loading runs the module's static constructors and its IModule constructor: module code,
        // so it gets the load timeout like the load hook (a static constructor can loop forever).
        var failure = await HookRunner.RunAsync(
            () =>
            {
                GenerationLoader.Load(generation, linked);
                return ValueTask.CompletedTask;
            },
            _options.LoadTimeout,
            _options.TimeProvider).ConfigureAwait(false);
        if (failure is not null)
        {
            throw failure.Exception is ModuleLoadException load ? load : new ModuleLoadException(failure.ToDiagnostic(generation, "loading (static constructors)", "MOLT028"));
        }

        // Listed as soon as it is loaded, so any failure from here on discards it with the others.
        fresh.Add(generation);
    }

    private async Task InitialiseAsync(Generation generation, ImmutableDictionary<string, Generation> live, List<ModuleDiagnostic> diagnostics)
    {
        var previous = live.GetValueOrDefault(generation.Module);
        var handover = await HandOverAsync(previous, diagnostics).ConfigureAwait(false);
        var context = new ModuleContext(generation, !_everLoaded.Contains(generation.Module), handover, _services, _stateAccess, _options.TimeProvider, _logger);
        generation.Context = context;
        if (generation.Lifecycle is { } lifecycle)
        {
            var failure = await HookRunner.RunAsync(() => lifecycle.OnLoadAsync(context), _options.LoadTimeout, _options.TimeProvider).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new ModuleLoadException(failure.ToDiagnostic(generation, "load hook", failure.TimedOut ? "MOLT028" : "MOLT027"));
            }
        }

        generation.LoadCompleted = true;
    }

    private async Task<object?> HandOverAsync(Generation? previous, List<ModuleDiagnostic> diagnostics)
    {
        if (previous?.Lifecycle is not { } lifecycle || previous.Context is not { } context)
        {
            return null;
        }

        object? handover = null;
        var failure = await HookRunner.RunAsync(
            () =>
            {
                handover = lifecycle.OnHandover(context);
                return ValueTask.CompletedTask;
            },
            _options.LoadTimeout,
            _options.TimeProvider).ConfigureAwait(false);
        if (failure is not null)
        {
            // The old code cannot be fixed any more: a broken handover must not block every future reload.
            diagnostics.Add(failure.ToDiagnostic(previous, "handover hook", "MOLT041") with { Severity = DiagnosticSeverity.Warning });
            return null;
        }

        return handover;
    }

    private EntrySnapshot ResolveEntryPoints(List<Generation> fresh, string[] removed, List<ModuleDiagnostic> diagnostics)
    {
        lock (_specsGate)
        {
            var current = _table.Snapshot;
            var targets = (object[])current.Targets.Clone();
            var owners = (Generation?[])current.Owners.Clone();
            var errors = new List<string>();
            for (var i = 0; i < _specs.Count; i++)
            {
                var spec = _specs[i];
                var generation = fresh.FirstOrDefault(g => g.Module == spec.Module);
                if (generation is null && !removed.Contains(spec.Module, StringComparer.Ordinal))
                {
                    continue;
                }

                var (target, error) = generation is null ? (null, $"module '{spec.Module}' was removed") : Resolve(spec, generation);
                if (target is not null)
                {
                    (targets[i], owners[i]) = (target, generation);
                }
                else if (spec.Fallback is { } fallback)
                {
                    (targets[i], owners[i]) = (fallback, null);
                    diagnostics.Add(new ModuleDiagnostic(spec.Module, null, 0, 0, "MOLT031", DiagnosticSeverity.Warning, $"The {spec.Describe()} now uses its fallback: {error}."));
                }
                else
                {
                    errors.Add($"the {spec.Describe()} is in use but {error}");
                }
            }

            if (errors.Count > 0)
            {
                throw new ModuleLoadException(new ModuleDiagnostic(fresh.FirstOrDefault()?.Module, null, 0, 0, "MOLT030", DiagnosticSeverity.Error,
                    string.Join("; ", errors) + ". Keep the export (or give the entry point a fallback)."));
            }

            return new EntrySnapshot(targets, owners);
        }
    }

    private static void SwapHooks(IReadOnlyList<Generation> retiring, IReadOnlyList<Generation> fresh)
    {
        var retiringOwners = retiring.Select(g => (object?)g.Context).Where(c => c is not null).ToHashSet(ReferenceEqualityComparer.Instance);
        var byHook = new Dictionary<object, (IHookAttachment First, List<IHookAttachment> Added)>(ReferenceEqualityComparer.Instance);
        foreach (var attachment in retiring.SelectMany(g => g.Context?.Attachments ?? []))
        {
            byHook.TryAdd(attachment.Hook, (attachment, []));
        }

        foreach (var attachment in fresh.SelectMany(g => g.Context!.Attachments))
        {
            if (!byHook.TryGetValue(attachment.Hook, out var entry))
            {
                byHook[attachment.Hook] = entry = (attachment, []);
            }

            entry.Added.Add(attachment);
        }

        foreach (var (first, added) in byHook.Values)
        {
            first.Swap(retiringOwners.Contains, added);
        }
    }

    /// <summary>Throws away generations a failed reload loaded: they never served.</summary>
    private async Task DiscardAsync(List<Generation> fresh, List<ModuleDiagnostic> diagnostics)
    {
        for (var i = fresh.Count - 1; i >= 0; i--)
        {
            await RetireAsync(fresh[i], discarded: true, diagnostics).ConfigureAwait(false);
        }
    }

    private async Task RetireAsync(Generation generation, bool discarded, List<ModuleDiagnostic> diagnostics)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var context = generation.Context;
        context?.Cancel();
        if (generation.Lifecycle is { } lifecycle && context is not null && generation.LoadCompleted)
        {
            var failure = await HookRunner.RunAsync(() => lifecycle.OnUnloadAsync(context), _options.UnloadTimeout, _options.TimeProvider).ConfigureAwait(false);
            if (failure is not null)
            {
                diagnostics.Add(failure.ToDiagnostic(generation, "unload hook", "MOLT040") with { Severity = DiagnosticSeverity.Warning });
                Log.Diagnostic(_logger, diagnostics[^1].ToString());
            }
        }

        await DrainAsync(generation).ConfigureAwait(false);
        context?.Release();
        var loadContext = generation.Detach();
        if (loadContext is null)
        {
            return;
        }

        if (_options.UnloadRetiredGenerations)
        {
            loadContext.Unload();
            _verifier.Track(new RetiredGeneration(generation.Module, generation.Number, generation.LoadContextReference!, now, discarded));
        }
        else
        {
            _keptForever.Add(loadContext);
        }
    }

    /// <summary>Waits, bounded, for tracked calls still running in a retiring generation.</summary>
    private async Task DrainAsync(Generation generation)
    {
        if (generation.ActiveCalls == 0)
        {
            return;
        }

        var waited = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(1);
        while (generation.ActiveCalls > 0 && waited.Elapsed < _options.DrainTimeout)
        {
            await Task.Delay(delay, _options.TimeProvider).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }

        if (generation.ActiveCalls > 0)
        {
            Log.DrainTimedOut(_logger, generation.Module, generation.Number, generation.ActiveCalls);
        }
    }

    private List<ModuleChange> Describe(
        string[] ordered,
        string[] removed,
        HashSet<string> changed,
        Dictionary<string, ModuleSource> present,
        ImmutableDictionary<string, Generation> live)
    {
        var changes = new List<ModuleChange>();
        foreach (var module in ordered)
        {
            var source = present[module];
            if (!live.TryGetValue(module, out var previous))
            {
                changes.Add(new ModuleChange(module, ModuleChangeKind.Added, _generationNumbers.GetValueOrDefault(module) + 1, [.. source.FilePaths]));
                continue;
            }

            var number = previous.Number + 1;
            if (!changed.Contains(module))
            {
                changes.Add(new ModuleChange(module, ModuleChangeKind.Dependent, number, []));
                continue;
            }

            var before = previous.Source.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
            var files = source.Files
                .Where(f => !before.TryGetValue(f.Path, out var old) || !old.AsSpan().SequenceEqual(f.Content))
                .Select(f => f.Path)
                .Concat(before.Keys.Where(p => !source.Files.Any(f => f.Path == p)))
                .ToArray();
            changes.Add(new ModuleChange(module, ModuleChangeKind.Changed, number, files));
        }

        changes.AddRange(removed.Select(m => new ModuleChange(m, ModuleChangeKind.Removed, live[m].Number, [.. live[m].Source.FilePaths])));
        return changes;
    }

    private ReloadResult RememberCompileFailure(string fingerprint, ReloadResult result)
    {
        _lastCompileFailure = (fingerprint, result);
        return result;
    }

    /// <summary>Identifies the inputs of a compile: every module's content and the generations serving now.</summary>
    private static string Fingerprint(IReadOnlyList<ModuleSource> sources, ImmutableDictionary<string, Generation> live) =>
        string.Join('\n', sources.Select(s => $"{s.Name}:{s.Hash}").Concat(live.Values.Select(g => $"{g.Module}#{g.Number}")).Order(StringComparer.Ordinal));

    private static void EndQuiesce(IEnumerable<Generation> generations)
    {
        foreach (var generation in generations)
        {
            generation.EndQuiesce();
        }
    }

    private static ModuleDiagnostic CycleDiagnostic(IReadOnlyList<string> cycle) =>
        new(cycle[0], null, 0, 0, "MOLT013", DiagnosticSeverity.Error,
            $"Modules depend on each other in a cycle: {string.Join(", ", cycle)}. Move the shared types into one module.");

    private static bool HasErrors(List<ModuleDiagnostic> diagnostics) => diagnostics.Exists(d => d.Severity == DiagnosticSeverity.Error);

    private static IEnumerable<Generation> Order(IEnumerable<Generation> generations, ImmutableDictionary<string, Generation> live)
    {
        var graph = new DependencyGraph(live.ToDictionary(g => g.Key, g => g.Value.Dependencies, StringComparer.Ordinal), m => live[m].Source.Order);
        var sorted = graph.Sort(out var cycle);
        var set = generations.ToHashSet();
        return sorted.Concat(cycle).Select(m => live[m]).Where(set.Contains);
    }
}
