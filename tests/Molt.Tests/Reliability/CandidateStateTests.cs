using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>A generation that never serves must leave the persistent state as the serving generation has it.</summary>
public sealed class CandidateStateTests
{
    private const string Module = """
        public static class App
        {
            private static IPersistentState<int>? s_loads;
            [Export] public static int Loads() => s_loads!.Value;
            internal static void Attach(IPersistentState<int> loads) => s_loads = loads;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                var loads = context.State("loads", () => 0);
                loads.Update(n => n + 1);
                App.Attach(loads);
                return ValueTask.CompletedTask;
            }
        }
        /*EXTRA*/
        """;

    [Fact]
    public async Task ALoadHookThatWritesAHostTypedValueOfAReloadThatFailsLaterLeavesTheLiveValueUntouched()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", Module);
        var engine = await workspace.StartAsync();
        var loads = engine.GetEntryPoint<Func<int>>("app", "Loads");
        Assert.Equal(1, loads.Current());

        // The load hook runs, then the reload fails: the export the handle needs is gone.
        workspace.Write("app.cs", Module.Replace("public static int Loads()", "public static int Renamed()", StringComparison.Ordinal));
        var failed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(failed.Succeeded);
        Assert.Contains(failed.Errors, e => e.Id == MoltDiagnosticIds.EntryPointLost);
        Assert.Equal(1, loads.Current());
    }

    [Fact]
    public async Task ALoadHookThatFinishesAfterItsReloadTimedOutCannotWriteTheLiveState()
    {
        await using var workspace = new ModuleWorkspace();
        var host = new FaultHost();
        workspace.Write("app.cs", Module);
        var engine = await workspace.StartAsync(o =>
        {
            o.Services = host;
            o.LoadTimeout = TimeSpan.FromMilliseconds(500);
        });
        var loads = engine.GetEntryPoint<Func<int>>("app", "Loads");

        // A slow load hook: the reload gives up on it (MOLT028) and discards its generation; then it goes on.
        workspace.Write("app.cs", Module.Replace("var loads =", """
            var host = (Molt.Tests.Reliability.FaultHost)context.Services.GetService(typeof(Molt.Tests.Reliability.FaultHost))!;
            Thread.Sleep(1500);
            using var done = new Done(host);
            var loads =
            """, StringComparison.Ordinal).Replace("/*EXTRA*/", "public sealed class Done(Molt.Tests.Reliability.FaultHost host) : IDisposable { public void Dispose() => host.Tick(\"late hook\"); }", StringComparison.Ordinal));
        var failed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.Contains(failed.Errors, e => e.Id == MoltDiagnosticIds.LoadTimedOut);

        await host.WaitForTicksAsync("late hook", 1);
        Assert.Equal(1, loads.Current());
    }
}
