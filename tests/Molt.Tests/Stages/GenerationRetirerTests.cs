using Molt.Loading;
using Molt.Retirement;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Stages;

/// <summary>The retirer alone, on generations loaded by hand.</summary>
public sealed class GenerationRetirerTests
{
    private const string Module = """
        public static class Calc { [Export] public static int Value() => 1; }
        public sealed class Lifecycle : IModule
        {
            public static int Unloads;
            public ValueTask OnUnloadAsync(IModuleContext context) { Unloads++; return ValueTask.CompletedTask; }
        }
        """;

    [Fact]
    public async Task RetirementWaitsForATrackedCallBeforeTheUnloadHookAndTheGenerationIsCollected()
    {
        await using var stages = new StageFixture(o => o.DrainTimeout = TimeSpan.FromSeconds(30));
        stages.Workspace.Write("calc.cs", Module);
        var generation = Assert.Single(await stages.LoadAsync());
        generation.MarkInitialised();
        var unloads = generation.Assembly.GetType("Lifecycle")!.GetField("Unloads")!;

        generation.EnterCall();
        var retiring = stages.Services.Retirer.RetireAsync(generation, discarded: false, []);
        await Task.Delay(100);
        Assert.False(retiring.IsCompleted, "retirement must wait for the tracked call");
        Assert.Equal(0, (int)unloads.GetValue(null)!);

        // The call returns: the unload hook runs, then the generation goes.
        generation.ExitCall();
        await retiring.WaitAsync(TestTimeouts.Reload);
        Assert.Equal(1, (int)unloads.GetValue(null)!);
        unloads = null;

        Assert.True(generation.IsRetired);
        Assert.Throws<InvalidOperationException>(() => generation.Context);
        await stages.Verifier.WhenIdleAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Equal(["calc#1"], stages.Collected);
        Assert.Empty(stages.Leaked);
    }

    [Fact]
    public async Task ADiscardedGenerationThatNeverInitialisedOwesNoUnloadHookAndRetiringTwiceIsHarmless()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("calc.cs", Module);
        var generation = Assert.Single(await stages.LoadAsync());
        var unloads = generation.Assembly.GetType("Lifecycle")!.GetField("Unloads")!;

        await stages.Services.Retirer.RetireAsync(generation, discarded: true, []);
        await stages.Services.Retirer.RetireAsync(generation, discarded: true, []);

        Assert.Equal(0, (int)unloads.GetValue(null)!);
        unloads = null;
        await stages.Verifier.WhenIdleAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Equal(["calc#1"], stages.Collected);
        Assert.True(stages.Verifier.Alive.Count == 0);
    }

    [Fact]
    public async Task WithNoInducedCollectionsTheVerifierOnlyWatchesAndStillProvesTheUnload()
    {
        await using var stages = new StageFixture(o =>
        {
            o.UnloadVerificationCollections = 0;
            o.UnloadVerificationTimeout = TimeSpan.FromSeconds(20);
        });
        stages.Workspace.Write("calc.cs", Module);
        var generation = Assert.Single(await stages.LoadAsync());
        await stages.Services.Retirer.RetireAsync(generation, discarded: false, []);

        // The program's own collections are what the verifier waits for.
        var watching = stages.Verifier.WhenIdleAsync();
        for (var i = 0; i < 50 && !watching.IsCompleted; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.WhenAny(watching, Task.Delay(100));
        }

        await watching.WaitAsync(TestTimeouts.Verification);
        Assert.Equal(["calc#1"], stages.Collected);
    }
}
