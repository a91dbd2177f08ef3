using Molt.Activation;
using Molt.Compilation;
using Molt.Reloading;
using Molt.Switching;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Stages;

/// <summary>The activator and the switcher alone, with the reload's undo log in the test's hands.</summary>
public sealed class ActivationAndSwitchTests
{
    private const string Core = "public static class Core { [Export] public static int Value() => 41; }";

    private const string Broken = """
        [assembly: DependsOn("core")]
        public static class App { [Export] public static int Next() => Core.Value() + 1; }
        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context) => throw new InvalidOperationException("no");
        }
        """;

    [Fact]
    public async Task AFailedActivationLeavesAnUndoLogThatDiscardsEveryLoadedGenerationAndEndsTheStateTransaction()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("core.cs", Core);
        stages.Workspace.Write("app.cs", Broken);
        var plan = await stages.PlanAsync();
        var compiled = await new CompileStage(stages.Compiler).CompileAsync(plan);
        var undo = new UndoLog(stages.Services.Logger);
        var diagnostics = new List<ModuleDiagnostic>();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => new GenerationActivator(stages.Services).ActivateAsync(plan, compiled.Images!, undo, diagnostics));
        Assert.Contains("no", failure.Message);

        await undo.RollBackAsync(diagnostics);
        await stages.Verifier.WhenIdleAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Equal(["app#1", "core#1"], stages.Collected.Order());
        Assert.Empty(stages.Leaked);

        // The store has no transaction left open: a new one can begin.
        using var next = stages.Services.State.Store.BeginMigration(_ => false, _ => null);
        Assert.True(next.Succeeded);
    }

    [Fact]
    public async Task TheSwitchPublishesEveryEntryPointAndForgetsTheUndoLog()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("core.cs", Core);
        var plan = await stages.PlanAsync();
        var compiled = await new CompileStage(stages.Compiler).CompileAsync(plan);
        var undo = new UndoLog(stages.Services.Logger);
        var diagnostics = new List<ModuleDiagnostic>();
        var index = stages.Services.Entries.Register(new EntryPoints.EntrySpec("core", "Value", typeof(Func<int>), IsDelegate: true, Fallback: (Func<int>)(() => -1)), null);
        var entry = new EntryPoint<Func<int>>(stages.Services.Entries.Table, index, "core", "Value");

        var staged = await new GenerationActivator(stages.Services).ActivateAsync(plan, compiled.Images!, undo, diagnostics);
        Assert.Equal(-1, entry.Current());
        Assert.Empty(stages.Modules.Current);

        new GenerationSwitcher(stages.Services).Switch(staged, undo, diagnostics);
        Assert.Equal(41, entry.Current());
        Assert.Equal(1, entry.Generation);
        Assert.Same(staged.Fresh[0], stages.Modules.Current["core"]);

        // Nothing is undone once the new generation serves.
        await undo.RollBackAsync(diagnostics);
        Assert.Equal(41, entry.Current());
        Assert.False(staged.Fresh[0].IsRetired);
    }

    [Fact]
    public async Task TheUndoLogUndoesLastFirstAndOneThrowingStepDoesNotStopTheOthers()
    {
        var undo = new UndoLog(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var order = new List<string>();
        undo.Push("first", () => order.Add("first"));
        undo.Push("broken", () => throw new InvalidOperationException("boom"));
        undo.Push("last", () => order.Add("last"));
        var diagnostics = new List<ModuleDiagnostic>();

        await undo.RollBackAsync(diagnostics);

        Assert.Equal(["last", "first"], order);
        var warning = Assert.Single(diagnostics);
        Assert.Equal(MoltDiagnosticIds.InternalError, warning.Id);
        Assert.Contains("broken", warning.Message);
    }
}
