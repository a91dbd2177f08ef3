using System.Collections.Concurrent;
using Molt.Modules;
using Molt.Reloading;

namespace Molt.Compilation;

/// <summary>
/// The second stage of a reload: compiles the planned modules in dependency order. Modules that do
/// not depend on each other (a wave: every module whose dependencies in this reload are settled)
/// compile at the same time, one per core; diagnostics come out in load order whatever finished
/// first. A dependent whose API inputs did not change is not compiled at all (see <c>Reuse</c>).
/// </summary>
internal sealed class CompileStage(ModuleCompiler compiler, ReloadFaults? faults = null)
{
    public Task<CompileOutput> CompileAsync(ReloadPlan plan) => LargeStack.RunAsync(() => new Run(compiler, plan, faults).Execute());

    /// <summary>One compile of one plan; its state is shared by the wave's threads.</summary>
    private sealed class Run(ModuleCompiler compiler, ReloadPlan plan, ReloadFaults? faults)
    {
        private readonly ConcurrentDictionary<string, CompiledModule> _compiled = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _failed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _dependedOn = plan.Dependencies.Values.SelectMany(d => d).ToHashSet(StringComparer.Ordinal);

        public CompileOutput Execute()
        {
            var perModule = plan.Ordered.ToDictionary(m => m, _ => new List<ModuleDiagnostic>(), StringComparer.Ordinal);
            var inThisReload = plan.Ordered.ToHashSet(StringComparer.Ordinal);
            var remaining = plan.Ordered.ToList();
            while (remaining.Count > 0)
            {
                var wave = remaining
                    .Where(m => plan.Dependencies[m].All(d => !inThisReload.Contains(d) || _compiled.ContainsKey(d) || _failed.ContainsKey(d)))
                    .ToArray();
                if (wave.Length == 0)
                {
                    wave = [remaining[0]]; // cannot happen for a sorted order; never spin
                }

                remaining.RemoveAll(wave.Contains);
                LargeStack.RunAll(wave.Length, i =>
                {
                    var module = wave[i];
                    if ((Reuse(module) ?? CompileOne(module, perModule[module])) is { } output)
                    {
                        _compiled[module] = output;
                    }
                    else
                    {
                        _failed[module] = true;
                    }
                });
            }

            var diagnostics = plan.Ordered.SelectMany(m => perModule[m]).ToArray();
            return new CompileOutput(_failed.IsEmpty ? new Dictionary<string, CompiledModule>(_compiled, StringComparer.Ordinal) : null, diagnostics);
        }

        /// <summary>
        /// A dependent whose own files did not change, and none of whose dependencies changed its API
        /// in this reload, needs no compile: its previous image is loaded again, bound to the new
        /// generations of its dependencies. (Method bodies are never copied into a dependent; constants,
        /// signatures and everything else a dependent compiles against are in the reference assembly
        /// whose hash is compared.)
        /// </summary>
        private CompiledModule? Reuse(string module)
        {
            var live = plan.Scan.Live;
            if (plan.Scan.Changed.Contains(module) || !live.TryGetValue(module, out var previous) || previous.Source.Kind == ModuleKind.Assembly
                || plan.Dependencies[module].Any(_failed.ContainsKey))
            {
                return null;
            }

            foreach (var dependency in plan.Dependencies[module])
            {
                if (_compiled.TryGetValue(dependency, out var now)
                    && (now.ApiHash is null || !live.TryGetValue(dependency, out var before) || before.Compiled.ApiHash != now.ApiHash))
                {
                    return null;
                }
            }

            // Its compilation is dropped: it was bound to the dependencies' old images, so the next
            // edit could not reuse it, and keeping it would keep those images in memory.
            return previous.Compiled with { Reused = true, FromCache = false, Compilation = null };
        }

        private CompiledModule? CompileOne(string module, List<ModuleDiagnostic> diagnostics)
        {
            var source = plan.Scan.Present[module];
            var dependsOn = plan.Dependencies[module];
            if (dependsOn.FirstOrDefault(_failed.ContainsKey) is { } broken)
            {
                diagnostics.Add(new ModuleDiagnostic(module, source.Path, 0, 0, MoltDiagnosticIds.DependencyFailed, DiagnosticSeverity.Info,
                    $"Not compiled: it depends on '{broken}', which failed."));
                return null;
            }

            faults?.Hit(ReloadPhase.Compile);
            if (source.Kind == ModuleKind.Assembly)
            {
                var (name, _) = DependencyReader.FromImage(source.Files[0].Content);
                var pdb = source.Files.Length > 1 ? source.Files[1].Content : null;
                return new CompiledModule(name, source.Files[0].Content, pdb, null);
            }

            // Read only: every wave is filled before it starts.
            var facts = plan.Facts.TryGetValue(module, out var f) ? f : compiler.ReadFacts(source, diagnostics);
            var references = dependsOn
                .Select(d => _compiled.TryGetValue(d, out var c) ? c : plan.Scan.Live[d].Compiled)
                .ToArray();
            var previous = plan.Scan.Live.GetValueOrDefault(module)?.Compiled;
            return facts is null ? null : compiler.Compile(new CompileRequest(source, facts, references, previous, _dependedOn.Contains(module)), diagnostics);
        }
    }
}
