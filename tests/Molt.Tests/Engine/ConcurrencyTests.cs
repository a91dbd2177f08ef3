using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class ConcurrencyTests
{
    private const string Module = """
        public static class V
        {
            [Export] public static int Version() => VERSION;
        }

        [Export]
        public sealed class Greeter : Molt.Tests.Infrastructure.IGreeter
        {
            public string Greet(string name) => "vVERSION " + name;
        }
        """;

    private static string Source(int version) => Module.Replace("VERSION", version.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public async Task CallersInATightLoopNeverFailAndNeverSeeTheOldVersionAfterASwitch()
    {
        const int reloads = 8;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("v.cs", Source(1));
        var engine = await workspace.StartAsync();
        var version = engine.GetEntryPoint<Func<int>>("v", "Version");
        var greeter = engine.GetService<IGreeter>("v");

        var expected = 1;
        long calls = 0, failures = 0, stale = 0, torn = 0;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var minimum = Volatile.Read(ref expected);
                    var v = version.Current();
                    var g = greeter.Current.Greet("x");
                    if (v < minimum)
                    {
                        Interlocked.Increment(ref stale);
                    }

                    // Read after the delegate: the service can only be as new or newer, never older.
                    if (int.Parse(g.AsSpan(1, g.IndexOf(' ', StringComparison.Ordinal) - 1), CultureInfo.InvariantCulture) < v)
                    {
                        Interlocked.Increment(ref torn);
                    }

                    Interlocked.Increment(ref calls);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var i = 2; i <= reloads + 1; i++)
        {
            workspace.Write("v.cs", Source(i));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, result.Error);

            // The switch happened: from now on no caller may get an older version.
            Volatile.Write(ref expected, i);
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers).WaitAsync(TestTimeouts.Reload);

        Assert.True(calls > 1000, $"only {calls} calls were made");
        Assert.Equal(0, failures);
        Assert.Equal(0, stale);
        Assert.Equal(0, torn);
        Assert.Equal(reloads + 1, version.Current());
    }

    [Fact]
    public async Task RequestsDuringAReloadCoalesceIntoOneFollowUpReload()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("v.cs", Source(1));
        var engine = await workspace.StartAsync();
        var version = engine.GetEntryPoint<Func<int>>("v", "Version");
        var started = 0;
        engine.Reloading += (_, _) => Interlocked.Increment(ref started);

        workspace.Write("v.cs", Source(2));
        var first = engine.ReloadAsync("first");
        var followers = Enumerable.Range(0, 10).Select(i => engine.ReloadAsync("follower")).ToArray();

        // Atomically (temporary file, rename), since the first reload may be reading it right now.
        workspace.Write("v.cs.tmp", Source(3));
        File.Move(workspace.PathOf("v.cs.tmp"), workspace.PathOf("v.cs"), overwrite: true);
        var results = await Task.WhenAll(followers.Prepend(first)).WaitAsync(TestTimeouts.Reload);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.True(started is 1 or 2, $"{started} reloads ran for 11 requests");
        Assert.Single(results.Skip(1).Select(r => r.StartedAt).Distinct());
        Assert.Equal(3, version.Current());
    }
}
