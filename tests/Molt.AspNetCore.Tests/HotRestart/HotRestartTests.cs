namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>Hot restarts of a real Kestrel host process (tests/Molt.HotRestart.TestHost), driven through the control channel.</summary>
public sealed class HotRestartTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ARestartUnderContinuousLoadFailsNoRequestAndRefusesNoConnection()
    {
        await using var host = await RestartableHost.StartAsync();
        await using var load = new LoadClient(host.Port, workers: 4);
        await load.WaitForAnswersAsync(host.Pid, 100, Long);

        var reply = await host.RestartAsync();

        Assert.True(reply.Ok, reply.Error);
        var newPid = Assert.NotNull(reply.NewPid);
        Assert.NotEqual(host.Pid, newPid);
        Assert.Equal(["http", "raw"], reply.Listeners);
        await RestartableHost.WaitForExitAsync(host.Pid, Long);
        await load.WaitForAnswersAsync(newPid, 100, Long);
        await load.DisposeAsync();
        Assert.Empty(load.Failures);
        Assert.Equal(0, load.Refused);
        Assert.True(load.AnsweredBy(host.Pid) >= 100);
        Console.WriteLine($"hot restart under load: {reply.DurationMs:0} ms to ready, longest request {load.Longest.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task PersistentStateAndARawSocketListenerAreKeptAcrossARestart()
    {
        await using var host = await RestartableHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}") };
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal($"{host.Pid} {i}", await http.GetStringAsync("/hit"));
        }

        Assert.Equal(host.Pid, await host.ReadRawAsync());

        // Through IHotRestarter, from a route of the host itself.
        using var restart = await http.PostAsync("/restart", null);
        var reply = System.Text.Json.JsonSerializer.Deserialize(await restart.Content.ReadAsStringAsync(), Molt.Control.ControlJson.RestartReply)!;
        await RestartableHost.WaitForExitAsync(host.Pid, Long);

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal($"{reply.NewPid} 4", await http.GetStringAsync("/hit"));
        Assert.Equal(reply.NewPid, await host.ReadRawAsync());
    }

    [Fact]
    public async Task ANewProcessThatCrashesAtStartLeavesTheOldOneServing()
    {
        await using var host = await RestartableHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}") };
        Assert.Equal($"{host.Pid} 1", await http.GetStringAsync("/hit"));
        File.WriteAllText(host.ModeFile, "crash");

        // By SIGUSR2: the reason is in the old process's log.
        using (var kill = System.Diagnostics.Process.Start("kill", ["-USR2", host.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var failed = await host.WaitForLineAsync("      Hot restart failed:", Long);

        Assert.Contains("exited with code 3 before it connected to the hand-over socket", failed, StringComparison.Ordinal);
        Assert.Contains("CRASHING pid=", host.Output, StringComparison.Ordinal);
        Assert.True(RestartableHost.IsAlive(host.Pid));
        Assert.Equal($"{host.Pid} 2", await http.GetStringAsync("/hit"));
    }

    [Fact]
    public async Task ANewProcessThatNeverBecomesReadyIsKilledAtTheTimeoutAndTheOldOneServes()
    {
        // Long enough for the new process to start and say it hangs on a loaded CI machine (4 s was not).
        await using var host = await RestartableHost.StartAsync(readyTimeoutSeconds: 10);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}") };
        File.WriteAllText(host.ModeFile, "hang");

        var reply = await host.RestartAsync();

        Assert.False(reply.Ok);
        Assert.Contains("not ready within 10 s", reply.Error, StringComparison.Ordinal);
        var hung = Assert.NotNull(reply.NewPid);
        await host.WaitForLineAsync($"HANGING pid={hung}", Long); // its output is read asynchronously
        Assert.False(RestartableHost.IsAlive(hung));
        Assert.Equal($"{host.Pid} 1", await http.GetStringAsync("/hit"));

        // And the next restart, with nothing in the way, succeeds.
        File.Delete(host.ModeFile);
        Assert.True((await host.RestartAsync()).Ok);
    }
}
