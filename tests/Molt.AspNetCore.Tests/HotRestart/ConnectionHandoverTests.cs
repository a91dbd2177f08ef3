using System.Globalization;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>
/// An established connection carried across hot restarts of a real process: the peer keeps its one
/// session, every line it sends is answered exactly once and in order, first by the old process
/// and then by the new one, and the session's state goes along.
/// </summary>
public sealed class ConnectionHandoverTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ASessionIsCarriedAcrossTwoRestartsWithNoLineLostOrAnsweredTwice()
    {
        await using var peer = new PeerClient();
        await using var host = await RestartableHost.StartAsync(60, "--peer", peer.Port.ToString(CultureInfo.InvariantCulture));
        await peer.AcceptAndStartAsync(Long);
        await peer.WaitForAnswersAsync(host.Pid, 20, Long);

        var first = await host.RestartAsync();
        Assert.True(first.Ok, first.Error);
        Assert.Equal(["peer"], first.Connections);
        var second = Assert.NotNull(first.NewPid);
        await RestartableHost.WaitForExitAsync(host.Pid, Long);
        await peer.WaitForAnswersAsync(second, 20, Long);

        var again = await host.RestartProcessAsync(second, expectOk: true);
        var third = Assert.NotNull(again.NewPid);
        await RestartableHost.WaitForExitAsync(second, Long);
        await peer.WaitForAnswersAsync(third, 20, Long);
        await peer.FinishAsync(Long);

        var answers = peer.Answers;
        Assert.False(peer.Closed, "the session was closed");
        Assert.False(peer.Reconnected, "the host opened a second session");
        Assert.Equal(Enumerable.Range(1, peer.Sent), answers.Select(a => a.Line));
        Assert.Equal(Enumerable.Range(1, peer.Sent), answers.Select(a => a.Count));
        // In blocks: the old process, then the second, then the third; never back.
        Assert.Equal([host.Pid, second, third], answers.Select(a => a.Pid).Distinct());
        Assert.Contains($"PEER pid={third} handedOver=True", host.Output, StringComparison.Ordinal);
        Assert.Contains($"PEER HANDED OVER pid={host.Pid}", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewProcessThatHangsHoldsTheSessionWithoutReadingAndTheOldOneResumesIt()
    {
        await using var peer = new PeerClient();
        await using var host = await RestartableHost.StartAsync(4, "--peer", peer.Port.ToString(CultureInfo.InvariantCulture));
        await peer.AcceptAndStartAsync(Long);
        await peer.WaitForAnswersAsync(host.Pid, 20, Long);
        File.WriteAllText(host.ModeFile, "hang");

        var reply = await host.RestartProcessAsync(host.Pid, expectOk: false);

        Assert.False(reply.Ok);
        Assert.Contains("was not ready within 4 s", reply.Error, StringComparison.Ordinal);
        var hung = Assert.NotNull(reply.NewPid);
        Assert.Contains($"PEER pid={hung} handedOver=True", host.Output, StringComparison.Ordinal);
        Assert.False(RestartableHost.IsAlive(hung));
        var before = peer.Sent;
        await peer.WaitForAnswersAsync(host.Pid, before + 10, Long);
        await peer.FinishAsync(Long);

        var answers = peer.Answers;
        Assert.False(peer.Closed, "the session was closed");
        Assert.Equal(Enumerable.Range(1, peer.Sent), answers.Select(a => a.Line));
        Assert.All(answers, a => Assert.Equal(host.Pid, a.Pid));
    }

    [Fact]
    public async Task ANewBuildThatDoesNotTakeTheSessionClosesItAndSaysSo()
    {
        await using var peer = new PeerClient();
        await using var host = await RestartableHost.StartAsync(60, "--peer", peer.Port.ToString(CultureInfo.InvariantCulture));
        await peer.AcceptAndStartAsync(Long);
        await peer.WaitForAnswersAsync(host.Pid, 10, Long);
        File.WriteAllText(host.ModeFile, "drop-peer");

        var reply = await host.RestartAsync();

        Assert.True(reply.Ok, reply.Error);
        await host.WaitForLineAsync("warn: Molt.Hosting[2045]", Long);
        Assert.Contains("connection(s) peer were handed over but nothing in this process took them (IHotRestartConnections.Take) within 10 s", host.Output, StringComparison.Ordinal);
        using var cancel = new CancellationTokenSource(Long);
        while (!peer.Closed)
        {
            await Task.Delay(20, cancel.Token);
        }

        Assert.All(peer.Answers, a => Assert.Equal(host.Pid, a.Pid));
    }

    [Fact]
    public async Task ASessionTakenOnlyAfterTheNewHostStartedIsStillCarriedWithNoLineLost()
    {
        await using var peer = new PeerClient();
        await using var host = await RestartableHost.StartAsync(60, "--peer", peer.Port.ToString(CultureInfo.InvariantCulture));
        await peer.AcceptAndStartAsync(Long);
        await peer.WaitForAnswersAsync(host.Pid, 10, Long);
        File.WriteAllText(host.ModeFile, "late-peer");

        var reply = await host.RestartAsync();
        Assert.True(reply.Ok, reply.Error);
        var newPid = Assert.NotNull(reply.NewPid);
        await peer.WaitForAnswersAsync(newPid, 10, Long);
        await peer.FinishAsync(Long);

        Assert.False(peer.Closed, "the session was closed");
        Assert.False(peer.Reconnected, "the host opened a second session");
        Assert.Equal(Enumerable.Range(1, peer.Sent), peer.Answers.Select(a => a.Line));
        Assert.Contains($"PEER pid={newPid} handedOver=True", host.Output, StringComparison.Ordinal);
    }
}
