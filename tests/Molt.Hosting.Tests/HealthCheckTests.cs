using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Molt.Hosting.Tests;

/// <summary>A static event the leaking module subscribes to and never leaves.</summary>
public static class LeakHook
{
    public static event Action? Tick;

    public static int Subscribers => Tick?.GetInvocationList().Length ?? 0;

    /// <summary>Lets go of every subscriber, so the leaked generation does not outlive its test.</summary>
    public static void Clear() => Tick = null;
}

public sealed class HealthCheckTests
{
    private const string Leaky = """
        public sealed class Leaky : IModule
        {
            private int _ticks;
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Molt.Hosting.Tests.LeakHook.Tick += () => _ticks += GENERATION;
                return ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task HealthyWhileReloadsSucceedDegradedAfterAFailedOneUntilTheFixAndAfterALeak()
    {
        await using var workspace = new HostedWorkspace();
        var calc = workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync(
            o => (o.WatchFiles, o.Polling, o.Engine.UnloadVerificationTimeout, o.Engine.UnloadVerificationCollections) = (false, PollingMode.Off, TimeSpan.FromMilliseconds(500), 4),
            services => services.AddHealthChecks().AddMolt(tags: ["ready"]));
        var health = workspace.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["ready"], report.Entries["molt"].Tags);

        File.WriteAllText(calc, Modules.Calc("a +"));
        Assert.False((await workspace.Engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        var failed = (await health.CheckHealthAsync()).Entries["molt"];
        Assert.Equal(HealthStatus.Degraded, failed.Status);
        Assert.Contains("The last reload failed", failed.Description, StringComparison.Ordinal);
        Assert.Contains("keeps serving", failed.Description, StringComparison.Ordinal);

        File.WriteAllText(calc, Modules.Calc("a - b"));
        Assert.True((await workspace.Engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        var leaked = new TaskCompletionSource();
        workspace.Engine.GenerationLeaked += (_, _) => leaked.TrySetResult();
        workspace.Write("leaky.cs", Leaky.Replace("GENERATION", "1", StringComparison.Ordinal));
        Assert.True((await workspace.Engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        workspace.Write("leaky.cs", Leaky.Replace("GENERATION", "2", StringComparison.Ordinal));
        Assert.True((await workspace.Engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        await leaked.Task.WaitAsync(TestTimeouts.Reload);
        var leak = (await health.CheckHealthAsync()).Entries["molt"];
        Assert.Equal(HealthStatus.Degraded, leak.Status);
        Assert.Contains("leaky#", leak.Description, StringComparison.Ordinal);
        Assert.True(LeakHook.Subscribers >= 2, "both generations' handlers should still be subscribed: that is the leak");
        LeakHook.Clear();
    }
}
