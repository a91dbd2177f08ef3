using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Molt.Compilation;
using Molt.EntryPoints;
using Molt.Loading;
using Molt.Modules;
using Molt.Reloading;
using Molt.Retirement;
using Molt.State;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Stages;

/// <summary>
/// The parts a reload's stages share, built by hand around a workspace, so each stage can be run
/// alone: no engine, no queue, no other stage.
/// </summary>
internal sealed class StageFixture : IAsyncDisposable
{
    public StageFixture(Action<MoltOptions>? configure = null)
    {
        Options = new MoltOptions { UnloadVerificationTimeout = TimeSpan.FromSeconds(3), WarmUpCompiler = false };
        Options.ModuleDirectories.Add(Workspace.Root);
        configure?.Invoke(Options);
        Compiler = new ModuleCompiler(Options);
        Verifier = new UnloadVerifier(Options, r => Collected.Add(r.Module + "#" + r.Generation), (r, _) => Leaked.Add(r.Module + "#" + r.Generation));
        var state = new StoreStateAccess(new StateStore());
        Services = new ReloadServices(Options, NullLogger.Instance, Modules, state, new EntryPointRegistry(), new GenerationRetirer(Options, Verifier, NullLogger.Instance))
        {
            Contexts = new ContextServices(EmptyServiceProvider.Instance, state, TimeProvider.System, NullLogger.Instance),
        };
        Planner = new ReloadPlanner(new ModuleScanner(Options), Compiler, Modules);
    }

    public ModuleWorkspace Workspace { get; } = new();

    public MoltOptions Options { get; }

    public ModuleCompiler Compiler { get; }

    public LiveModules Modules { get; } = new();

    public UnloadVerifier Verifier { get; }

    public ReloadServices Services { get; }

    public ReloadPlanner Planner { get; }

    public List<string> Collected { get; } = [];

    public List<string> Leaked { get; } = [];

    /// <summary>Plans against what serves now.</summary>
    public Task<ReloadPlan> PlanAsync() => Planner.PlanAsync(Planner.Scan(Modules.Current));

    /// <summary>Scans, plans, compiles and loads every module as new generations (no hooks, no state), without switching.</summary>
    public async Task<IReadOnlyList<Generation>> LoadAsync()
    {
        var plan = await PlanAsync();
        var compiled = await new CompileStage(Compiler).CompileAsync(plan);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Diagnostics));
        var fresh = new List<Generation>();
        foreach (var module in plan.Ordered)
        {
            var build = new ModuleBuild(plan.Scan.Present[module], 1, compiled.Images![module], plan.Dependencies[module], DateTimeOffset.UtcNow);
            var linked = fresh.Where(g => build.Dependencies.Contains(g.Module)).ToDictionary(g => g.Compiled.AssemblyName, g => g.Assembly);
            fresh.Add(new Generation(build, GenerationLoader.Load(build, linked, typesProven: false), new ModuleContext(build, true, Services.Contexts)));
        }

        return fresh;
    }

    public async ValueTask DisposeAsync() => await Workspace.DisposeAsync();
}
