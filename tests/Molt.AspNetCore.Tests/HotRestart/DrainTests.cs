using System.Diagnostics;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>HotRestartOptions.DrainTimeout: how long the old process finishes its requests once the new one serves.</summary>
public sealed class DrainTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ARequestLongerThanTheDrainTimeoutIsCutOffInTheOldProcessWhileTheNewOneServes()
    {
        await using var host = await RestartableHost.StartAsync(60, "--drain-timeout", "2");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}"), Timeout = Long };
        var longRequest = http.GetStringAsync("/slow?ms=60000");
        await host.WaitForLineAsync($"SLOW pid={host.Pid}", Long);

        var restarted = Stopwatch.StartNew();
        var reply = await host.RestartAsync();

        Assert.True(reply.Ok, reply.Error);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => longRequest).WaitAsync(Long);
        var cutAfter = restarted.Elapsed;
        await RestartableHost.WaitForExitAsync(host.Pid, Long);
        var exitedAfter = restarted.Elapsed;
        // The drain starts once the new process is ready (reply.DurationMs after the request); the
        // host's own shutdown timeout, which it replaces, is 30 s.
        var drained = cutAfter - TimeSpan.FromMilliseconds(reply.DurationMs);
        Assert.True(drained >= TimeSpan.FromSeconds(1.8), $"cut off {drained} after the new process was ready, before the drain timeout");
        Assert.True(drained < TimeSpan.FromSeconds(15), $"cut off {drained} after the new process was ready");
        Assert.Equal($"{reply.NewPid} 1", await http.GetStringAsync("/hit"));
        Console.WriteLine($"drain timeout 2 s: the long request was cut off {drained.TotalSeconds:0.00} s after the new process was ready; the old process was gone {exitedAfter.TotalSeconds:0.0} s after the restart request");
    }
}
