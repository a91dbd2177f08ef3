using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Molt.Control;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>A host whose control channel has a fixed socket path and TCP port hot-restarts: the new process adopts both.</summary>
public sealed class FixedControlAddressTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TheFixedSocketAndPortReachTheNewProcessAndTheOldOneStopsAnsweringOnThemOnceItServes()
    {
        var run = Directory.CreateTempSubdirectory("molt-ctl-").FullName;
        var socket = Path.Combine(run, "molt.sock");
        var tokenFile = Path.Combine(run, "token");
        File.WriteAllText(tokenFile, "a-token-of-at-least-16-characters");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var port = FreePort().ToString(CultureInfo.InvariantCulture);
        await using var host = await RestartableHost.StartAsync(60, "--control-socket", socket, "--control-port", port, "--token-file", tokenFile);
        var tcp = new[] { "--tcp", $"127.0.0.1:{port}", "--token-file", tokenFile };
        Assert.Equal(host.Pid, (await MoltCli.JsonAsync("status", "--socket", socket)).GetProperty("pid").GetInt32());
        Assert.Equal(host.Pid, (await MoltCli.JsonAsync(["status", .. tcp])).GetProperty("pid").GetInt32());

        // A request in flight keeps the old process draining (and alive) for a while after the restart.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}"), Timeout = Long };
        var slow = http.GetStringAsync("/slow?ms=6000");
        await host.WaitForLineAsync($"SLOW pid={host.Pid}", Long);

        // The restart request goes to the shared socket; its reply comes from the old process.
        var reply = await MoltCli.JsonAsync("restart", "--socket", socket);

        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
        Assert.Equal(host.Pid, reply.GetProperty("pid").GetInt32());
        var newPid = reply.GetProperty("newPid").GetInt32();
        Assert.NotEqual(host.Pid, newPid);
        Assert.Equal(["http", "molt:control", "molt:control-tcp", "raw"], reply.GetProperty("listeners").EnumerateArray().Select(l => l.GetString()));

        // From the moment the reply arrived, only the new process answers on the socket, even while the old one may still be stopping.
        var client = new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = Long });
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(newPid, (await client.SendAsync(new ControlRequest(ControlCommands.Status))).ReadResult(ControlJson.StatusReply).Pid);
        }

        Assert.Equal($"{host.Pid} slow", await slow);
        await RestartableHost.WaitForExitAsync(host.Pid, Long);
        // The old process left the socket file in place as it exited: it is the new process's.
        Assert.Equal(newPid, (await MoltCli.JsonAsync("status", "--socket", socket)).GetProperty("pid").GetInt32());
        Assert.Equal(newPid, (await MoltCli.JsonAsync(["status", .. tcp])).GetProperty("pid").GetInt32());
        Assert.DoesNotContain("another process is listening", host.Output, StringComparison.Ordinal);

        // And the new process hot-restarts again through the same address.
        var again = await MoltCli.JsonAsync("restart", "--socket", socket);
        Assert.True(again.GetProperty("ok").GetBoolean(), again.ToString());
        Assert.Equal(newPid, again.GetProperty("pid").GetInt32());
        var third = again.GetProperty("newPid").GetInt32();
        await RestartableHost.WaitForExitAsync(newPid, Long);
        Assert.Equal(third, (await MoltCli.JsonAsync("status", "--socket", socket)).GetProperty("pid").GetInt32());
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
