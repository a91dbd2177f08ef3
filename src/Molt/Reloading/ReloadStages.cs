using Molt.Activation;
using Molt.Compilation;
using Molt.Switching;

namespace Molt.Reloading;

/// <summary>The stages every reload runs through, created once per engine.</summary>
internal sealed class ReloadStages(ReloadServices services, ReloadPlanner planner, CompileStage compiler, CompilerPriming priming)
{
    public ReloadServices Services { get; } = services;

    public ReloadPlanner Planner { get; } = planner;

    public CompileStage Compiler { get; } = compiler;

    public GenerationActivator Activator { get; } = new(services);

    public GenerationSwitcher Switcher { get; } = new(services);

    public CompilerPriming Priming { get; } = priming;

    public CompileFailureMemo Failures { get; } = new();
}
