using System.Collections.Immutable;
using Molt.Compilation;
using Molt.Loading;
using Molt.Modules;

namespace Molt.Reloading;

/// <summary>
/// The first stage of a reload: reads every module, works out what changed against what serves,
/// reads the dependencies and orders the modules to load, dependencies first.
/// </summary>
internal sealed class ReloadPlanner(ModuleScanner scanner, ModuleCompiler compiler, LiveModules modules)
{
    /// <summary>Reads and hashes every module's files and compares them with <paramref name="live"/>.</summary>
    /// <param name="live">The serving generations.</param>
    /// <param name="mode">How to wait for files written a moment ago (see <see cref="ChangeSet.QuietAt"/>).</param>
    public ChangeSet Scan(ImmutableDictionary<string, Generation> live, ReadMode mode = ReadMode.Quiet)
    {
        var diagnostics = new List<ModuleDiagnostic>();
        IReadOnlyList<ModuleSource> sources = [];
        try
        {
            sources = scanner.Scan(diagnostics, mode);
        }
        catch (ModuleScanException ex)
        {
            diagnostics.Add(ex.Diagnostic);
        }

        compiler.Forget(sources);
        var present = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var changed = sources
            .Where(s => !live.TryGetValue(s.Name, out var g) || g.Source.Hash != s.Hash)
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
        var removed = live.Keys.Where(k => !present.ContainsKey(k)).Order(StringComparer.Ordinal).ToImmutableArray();
        return new ChangeSet(live, present, changed, removed, [.. diagnostics]);
    }

    /// <summary>Reads the dependencies of a change set and orders the modules to load (on a large stack: it parses).</summary>
    public Task<ReloadPlan> PlanAsync(ChangeSet scan) => LargeStack.RunAsync(() => Plan(scan));

    private ReloadPlan Plan(ChangeSet scan)
    {
        var diagnostics = new List<ModuleDiagnostic>();
        var facts = new Dictionary<string, ModuleFacts>(StringComparer.Ordinal);
        var dependencies = new DependencyResolver(compiler, scan).Resolve(facts, diagnostics);
        var graph = new DependencyGraph(dependencies, m => scan.Present[m].Order);
        var loadOrder = graph.Sort(out var cycle);
        if (cycle.Count > 0)
        {
            diagnostics.Add(new ModuleDiagnostic(cycle[0], null, 0, 0, MoltDiagnosticIds.DependencyCycle, DiagnosticSeverity.Error,
                $"Modules depend on each other in a cycle: {string.Join(", ", cycle)}. Move the shared types into one module."));
        }

        var affected = graph.WithDependents(scan.Changed.Concat(scan.Removed));
        var ordered = loadOrder.Where(affected.Contains).ToImmutableArray();
        var changes = ChangeDescriber.Describe(scan, ordered, modules);
        return new ReloadPlan(scan, dependencies, facts, ordered, changes, [.. diagnostics]);
    }
}
