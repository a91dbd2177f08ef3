using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>State owned by one module that holds objects of another module's types, reloaded while it is written.</summary>
public sealed class CrossModuleStateTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReloadingEachModuleInTurnUnderWritersKeepsTheWholeGraphOnTheNewTypesAndUnloadsEveryGeneration(bool quiesce)
    {
        await using var workspace = new ModuleWorkspace();
        GameModules.WriteAll(workspace);
        var engine = await workspace.StartAsync(o => o.QuiesceBeforeSwitch = quiesce);
        var step = engine.GetEntryPoint<Func<long>>("game", "Step");
        var check = engine.GetEntryPoint<Func<string>>("game", "Check");
        await using var callers = new Callers(step, threads: 3, tracked: quiesce);

        for (var i = 1; i <= 12; i++)
        {
            await callers.WaitForProgressAsync();
            var result = (i % 3) switch
            {
                0 => await Edit(workspace, engine, "core.cs", GameModules.Core.Replace("// CORE_EXTRA", $"public int Wave {{ get; set; }} = {i};")),
                1 => await Edit(workspace, engine, "enemies.cs", GameModules.EnemiesVersion(i, i % 2 == 0 ? string.Empty : "public int Fuel { get; set; } = 7;")),
                _ => await Edit(workspace, engine, "game.cs", GameModules.Game + $"\n// edit {i}"),
            };
            Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Errors)}");
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == MoltDiagnosticIds.InternalError);
            Assert.Contains(" foreign=0 ", check.Current());
        }

        var finalTick = await callers.StopAsync();
        Assert.Equal(0, callers.Unexpected);
        var summary = check.Current();
        Assert.StartsWith($"tick={finalTick} ", summary);
        Assert.Contains($"score={finalTick} ", summary);

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task ATypeRenamedInOneModuleAndAMemberRetypedWithACustomMigrationReachStateOwnedByAnother()
    {
        await using var workspace = new ModuleWorkspace();
        GameModules.WriteAll(workspace);
        var engine = await workspace.StartAsync(o => o.QuiesceBeforeSwitch = true);
        var step = engine.GetEntryPoint<Func<long>>("game", "Step");
        var check = engine.GetEntryPoint<Func<string>>("game", "Check");
        for (var i = 0; i < 30; i++)
        {
            using var call = step.Enter();
            call.Target();
        }

        // enemies: Drone becomes Flyer (the state, owned by game, holds Drones inside World.Enemies),
        // and Tank.Armor becomes a string, by a migration of the nested Tank that keeps the rest.
        var enemies = GameModules.EnemiesVersion(2)
            .Replace("public sealed class Drone", "[FormerName(\"Drone\")]\npublic sealed class Flyer", StringComparison.Ordinal)
            .Replace("new Drone()", "new Flyer()", StringComparison.Ordinal)
            .Replace("public int Armor { get; set; } = 3;", "public string Armor { get; set; } = \"light\";", StringComparison.Ordinal)
            + "\npublic static class Migrations { [StateMigration] public static Tank Up(StateObject old, Tank migrated) { migrated.Armor = $\"armor {old.Get<int>(\"Armor\")}\"; return migrated; } }";
        workspace.Write("enemies.cs", enemies);
        workspace.Write("game.cs", GameModules.Game
            .Replace("e is Drone", "e is Flyer", StringComparison.Ordinal)
            .Replace("$\"tick={w.Tick}", "$\"armor={string.Join(\",\", w.Enemies.OfType<Tank>().Select(t => t.Armor).Distinct())} tick={w.Tick}", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Diagnostics)}");
        var summary = check.Current();
        Assert.StartsWith("armor=armor 3 tick=30 enemies=10 foreign=0 ", summary);
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    private static async Task<ReloadResult> Edit(ModuleWorkspace workspace, MoltEngine engine, string file, string source)
    {
        workspace.Write(file, source);
        return await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
    }

    /// <summary>Threads calling the game's step as fast as they can, counting what succeeded.</summary>
    private sealed class Callers : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _threads;
        private long _succeeded;
        private long _refused;
        private long _unexpected;
        private string? _firstUnexpected;

        public Callers(EntryPoint<Func<long>> step, int threads, bool tracked)
        {
            _threads = [.. Enumerable.Range(0, threads).Select(_ => Task.Run(() => Run(step, tracked)))];
        }

        public long Unexpected => Interlocked.Read(ref _unexpected) is var n && n > 0 ? throw new Xunit.Sdk.XunitException($"{n} unexpected failures; first: {_firstUnexpected}") : 0;

        public async Task WaitForProgressAsync()
        {
            var target = Interlocked.Read(ref _succeeded) + 20;
            var deadline = DateTime.UtcNow + TestTimeouts.Reload;
            while (Interlocked.Read(ref _succeeded) < target && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1);
            }
        }

        /// <summary>Stops the callers; returns how many steps succeeded (each moves the tick by one).</summary>
        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_threads).WaitAsync(TestTimeouts.Reload);
            return Interlocked.Read(ref _succeeded);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_threads).WaitAsync(TestTimeouts.Reload);
            _stop.Dispose();
        }

        private void Run(EntryPoint<Func<long>> step, bool tracked)
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (tracked)
                    {
                        using var call = step.Enter();
                        call.Target();
                    }
                    else
                    {
                        step.Current();
                    }

                    Interlocked.Increment(ref _succeeded);
                }
                catch (InvalidOperationException ex) when (!tracked && ex.Message.Contains("retired", StringComparison.OrdinalIgnoreCase))
                {
                    // Untracked calls still in the old code after the switch: their writes are refused (README).
                    Interlocked.Increment(ref _refused);
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref _unexpected) == 1)
                    {
                        _firstUnexpected = ex.ToString();
                    }
                }
            }
        }
    }
}
