using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class QuiesceTests
{
    private const string Module = """
        public sealed class Tally { public long Count { get; set; } public int Marker { get; set; } = MARKER; }

        public static class T
        {
            private static IPersistentState<Tally>? s_tally;
            [Export] public static long Step() => s_tally!.Update(t => new Tally { Count = t.Count + 1, Marker = t.Marker }).Count;
            internal static void Attach(IPersistentState<Tally> tally) => s_tally = tally;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                T.Attach(context.State("tally", () => new Tally()));
                return ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task WithQuiescingNoTrackedWriteOfTheOldGenerationIsRefusedOrLostAcrossMigrations()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("t.cs", Source(0));
        var engine = await workspace.StartAsync(o => o.QuiesceBeforeSwitch = true);
        var step = engine.GetEntryPoint<Func<long>>("t", "Step");

        using var stop = new CancellationTokenSource();
        long calls = 0, failures = 0;
        string? firstFailure = null;
        var callers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var call = step.Enter();
                    call.Target();
                    Interlocked.Increment(ref calls);
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= ex.ToString();
                }
            }
        })).ToArray();

        for (var i = 1; i <= 15; i++)
        {
            // Every reload migrates the Tally (a module-defined type) while the callers write it.
            workspace.Write("t.cs", Source(i));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(StateChangeKind.Migrated, Assert.Single(result.State).Kind);
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers).WaitAsync(TestTimeouts.Reload);

        Assert.True(failures == 0, $"{failures} tracked calls failed; first: {firstFailure}");
        Assert.Equal(calls + 1, step.Current());
    }

    [Fact]
    public async Task ATrackedCallMadeInsideAnotherIsNotHeldByTheSwitchThatWaitsForTheOuterOne()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("t.cs", Source(0));
        var drain = TimeSpan.FromSeconds(20);
        var engine = await workspace.StartAsync(o => (o.QuiesceBeforeSwitch, o.DrainTimeout) = (true, drain));
        var step = engine.GetEntryPoint<Func<long>>("t", "Step");

        // A host loop whose frame (a tracked call) calls the module again, as a host service called back by a module would.
        var frame = Task.Run(() =>
        {
            using var outer = step.Enter();
            outer.Target();
            var running = System.Diagnostics.Stopwatch.StartNew();
            while (running.Elapsed < TimeSpan.FromSeconds(3))
            {
                using var inner = step.Enter();
                inner.Target();
            }
        });
        workspace.Write("t.cs", Source(1));
        var reloading = System.Diagnostics.Stopwatch.StartNew();
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        await frame.WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.True(reloading.Elapsed < drain / 2, $"The reload took {reloading.Elapsed.TotalSeconds:0.0} s: it waited for a call its switch was holding.");
    }

    private static string Source(int marker) => Module.Replace("MARKER", marker.ToString(CultureInfo.InvariantCulture));
}
