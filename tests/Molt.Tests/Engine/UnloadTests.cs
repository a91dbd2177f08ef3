using System.Runtime.CompilerServices;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class UnloadTests
{
    private const string Versioned = """
        public static class V
        {
            private static readonly byte[] s_ballast = new byte[256 * 1024];
            [Export] public static int Version() => VERSION + s_ballast.Length * 0;
        }
        """;

    [Fact]
    public async Task EveryRetiredGenerationIsCollectedAfterManyReloads()
    {
        const int reloads = 20;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("v.cs", Versioned.Replace("VERSION", "0"));
        var engine = await workspace.StartAsync();
        var version = engine.GetEntryPoint<Func<int>>("v", "Version");
        var collected = 0;
        engine.GenerationUnloaded += (_, _) => Interlocked.Increment(ref collected);
        var leaked = 0;
        engine.GenerationLeaked += (_, _) => Interlocked.Increment(ref leaked);

        // The test's own proof, independent of the engine's verifier: weak references to every
        // generation's assembly, taken through the public handle.
        var weak = new List<WeakReference>();
        for (var i = 1; i <= reloads; i++)
        {
            weak.Add(WeakAssemblyOf(version));
            workspace.Write("v.cs", Versioned.Replace("VERSION", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(i, version.Current());
        }

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);

        Assert.Equal(reloads, collected);
        Assert.Equal(0, leaked);
        Assert.Empty(engine.Manifest.RetiredAlive);
        Assert.True(await AllCollectedAsync(weak), "a retired generation's assembly is still alive");
        Assert.True(version.Current() == reloads);
    }

    [Fact]
    public async Task AModuleThatSubscribesToAStaticHostEventIsReportedAsLeaked()
    {
        await using var workspace = new ModuleWorkspace();
        const string leaky = """
            public sealed class Leaky : IModule
            {
                private int _ticks;
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    // Never unsubscribed: the host's static event holds this generation forever.
                    Molt.Tests.Infrastructure.HostEvents.Tick += OnTick;
                    return ValueTask.CompletedTask;
                }

                private void OnTick() => _ticks += GENERATION;
            }
            """;
        workspace.Write("leaky.cs", leaky.Replace("GENERATION", "1"));
        var engine = await workspace.StartAsync(o =>
        {
            o.UnloadVerificationTimeout = TimeSpan.FromMilliseconds(500);
            o.UnloadVerificationCollections = 4;
        });
        var leakedReports = new List<GenerationEventArgs>();
        var reported = new TaskCompletionSource();
        engine.GenerationLeaked += (_, e) =>
        {
            lock (leakedReports)
            {
                leakedReports.Add(e);
            }

            reported.TrySetResult();
        };

        workspace.Write("leaky.cs", leaky.Replace("GENERATION", "2"));
        Assert.True((await engine.ReloadAsync()).Succeeded);
        await reported.Task.WaitAsync(TestTimeouts.Verification);

        var report = Assert.Single(leakedReports);
        Assert.Equal(("leaky", 1), (report.Module, report.Generation));
        Assert.Contains("static event", report.Message);
        var alive = Assert.Single(engine.Manifest.RetiredAlive);
        Assert.Equal(("leaky", 1, RetiredStatus.Leaked), (alive.Module, alive.Generation, alive.Status));

        // The process is fine and the new generation serves.
        HostEvents.RaiseTick();
        Assert.Equal(2, engine.Manifest.Modules.Single().Generation);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakAssemblyOf(EntryPoint<Func<int>> entry) => new(entry.Current.Method.DeclaringType!.Assembly);

    private static async Task<bool> AllCollectedAsync(List<WeakReference> weak)
    {
        for (var i = 0; i < 20 && weak.Exists(w => w.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        return !weak.Exists(w => w.IsAlive);
    }
}
