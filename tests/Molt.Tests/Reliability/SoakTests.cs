using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>
/// Many reloads, good and bad alternating, under continuous calls. Short by default; set
/// <c>MOLT_SOAK_RELOADS</c> (e.g. 5000) for a long run.
/// </summary>
public sealed class SoakTests
{
    private const string Good = """
        public static class App
        {
            private static IPersistentState<long>? s_count;
            [Export] public static long Next() => s_count!.Update(n => n + 1);
            [Export] public static int Version() => VERSION;
            internal static void Attach(IPersistentState<long> count) => s_count = count;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                App.Attach(context.State("count", () => 0L));
                BAD
                return ValueTask.CompletedTask;
            }
        }
        """;

    private static readonly string[] BadEdits =
    [
        "int broken = ;",                                              // syntax error
        "int broken = \"text\";",                                      // type error
        "throw new InvalidOperationException(\"load failed\");",       // load hook throws
    ];

    private static int Reloads =>
        int.TryParse(Environment.GetEnvironmentVariable("MOLT_SOAK_RELOADS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 150;

    [Fact]
    public async Task ThousandsOfGoodAndBadReloadsUnderCallsLoseNothingAndLeaveNoGenerationBehind()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", Source(0, bad: null));
        var engine = await workspace.StartAsync();
        var next = engine.GetEntryPoint<Func<long>>("app", "Next");
        var version = engine.GetEntryPoint<Func<int>>("app", "Version");
        var collected = 0;
        engine.GenerationUnloaded += (_, _) => Interlocked.Increment(ref collected);
        var leaked = 0;
        engine.GenerationLeaked += (_, _) => Interlocked.Increment(ref leaked);

        using var stop = new CancellationTokenSource();
        long nextCalls = 0, failures = 0, outOfOrder = 0;
        string? firstFailure = null;
        var callers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            long last = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var n = next.Current();
                    _ = version.Current();
                    Interlocked.Increment(ref nextCalls);
                    if (n <= last)
                    {
                        Interlocked.Increment(ref outOfOrder);
                    }

                    last = n;
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= ex.ToString();
                }
            }
        })).ToArray();

        int good = 0, bad = 0, generationsLoaded = 1;
        for (var i = 1; i <= Reloads; i++)
        {
            var isBad = i % 2 == 0;
            workspace.Write("app.cs", Source(i, isBad ? BadEdits[i / 2 % BadEdits.Length] : null));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            if (isBad)
            {
                Assert.False(result.Succeeded, $"bad edit {i} loaded");
                bad++;

                // A failing load hook means a generation was loaded, then discarded.
                generationsLoaded += result.Errors.Any(e => e.Id == "MOLT027") ? 1 : 0;
            }
            else
            {
                Assert.True(result.Succeeded, $"good edit {i}: {result.Error}");
                Assert.Equal(i, version.Current());
                good++;
                generationsLoaded++;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers).WaitAsync(TestTimeouts.Reload);

        Assert.True(failures == 0, $"{failures} calls failed; first: {firstFailure}");
        Assert.Equal(0, outOfOrder);
        Assert.True(nextCalls > Reloads, $"only {nextCalls} calls");

        // State consistent: the counter counted every call, across every generation.
        Assert.Equal(nextCalls + 1, next.Current());

        // Every generation but the serving one is collected.
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
        Assert.Equal(0, leaked);
        Assert.Equal(generationsLoaded - 1, collected);
        Assert.Equal(Reloads / 2, bad);
        Assert.Equal(Reloads - (Reloads / 2), good);
    }

    [Fact]
    public async Task FilesRenamedReplacedAndDeletedInBurstsWhileReloadsRunNeverBreakTheServingCode()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", Source(1, bad: null));
        var engine = await workspace.StartAsync();
        var version = engine.GetEntryPoint<Func<int>>("app", "Version");
        var extra = engine.GetEntryPoint<Func<int>>("extra", "Extra", fallback: () => -1);

        using var stop = new CancellationTokenSource();
        long failures = 0;
        var caller = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    _ = version.Current();
                    _ = extra.Current();
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        // Editors' save styles, as fast as the disk allows: write in place, temp file + rename,
        // delete + create, rename away and back, truncate then write.
        var random = new Random(7);
        var burst = Task.Run(() =>
        {
            var extraPath = workspace.PathOf("extra.cs");
            for (var i = 0; i < 400 && !stop.IsCancellationRequested; i++)
            {
                var content = $"public static class Extras {{ [Export] public static int Extra() => {i}; }}";
                switch (random.Next(5))
                {
                    case 0:
                        File.WriteAllText(extraPath, content);
                        break;
                    case 1:
                        File.WriteAllText(extraPath + ".tmp", content);
                        File.Move(extraPath + ".tmp", extraPath, overwrite: true);
                        break;
                    case 2:
                        File.Delete(extraPath);
                        File.WriteAllText(extraPath, content);
                        break;
                    case 3:
                        if (File.Exists(extraPath))
                        {
                            File.Move(extraPath, extraPath + ".away", overwrite: true);
                            File.Move(extraPath + ".away", extraPath, overwrite: true);
                        }

                        break;
                    default:
                        using (var stream = new FileStream(extraPath, FileMode.Create))
                        {
                            stream.Flush();
                            stream.Write(System.Text.Encoding.UTF8.GetBytes(content));
                        }

                        break;
                }
            }
        });

        var reloads = 0;
        while (!burst.IsCompleted)
        {
            // Mid-save states may fail to compile; the serving code must never break.
            _ = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            reloads++;
        }

        await burst;
        File.WriteAllText(workspace.PathOf("extra.cs"), "public static class Extras { [Export] public static int Extra() => 1000; }");
        var settled = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        await stop.CancelAsync();
        await caller.WaitAsync(TestTimeouts.Reload);

        Assert.True(settled.Succeeded, settled.Error);
        Assert.Equal(0, failures);
        Assert.True(reloads > 0);
        Assert.Equal(1, version.Current());
        Assert.Equal(1000, extra.Current());
        Assert.Equal(["app", "extra"], engine.Manifest.Modules.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    private static string Source(int version, string? bad) =>
        Good.Replace("VERSION", version.ToString(CultureInfo.InvariantCulture)).Replace("BAD", bad ?? string.Empty);
}
