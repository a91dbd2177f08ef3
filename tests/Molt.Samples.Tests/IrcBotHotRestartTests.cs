using System.Diagnostics;
using System.Globalization;
using Molt.Control;
using Molt.Samples.Tests.Irc;

namespace Molt.Samples.Tests;

/// <summary>The IrcBot sample hot-restarted into a new build of itself on a real ngircd: the new process goes on with the same IRC session.</summary>
public sealed partial class IrcBotTests
{
    [NgircdFact]
    public async Task AHotRestartIntoANewBuildHandsItTheSessionTheServerSeesNoQuitNoRegistrationAndNoLineIsLost()
    {
        await using var server = await NgircdServer.StartAsync(Timeout);
        await using var tester = await IrcClient.ConnectAsync(server.Port, Admin, Timeout);
        await tester.JoinAsync(Channel, Timeout);
        var plugins = SamplePaths.CopyModules("IrcBot", "plugins");
        using var build = new SampleBuild("IrcBot");
        await using var bot = SampleProcess.StartAssembly(build.Assembly, [
            "--server", $"127.0.0.1:{server.Port}", "--nick", BotNick, "--channel", Channel, "--admin", Admin, "--plugins", plugins, "--watch", "false"]);
        int? newPid = null;
        try
        {
            await tester.WaitForLineAsync(IsBotJoin, Timeout);
            var connection = ConnectionPattern().Match(await AskBotAsync(tester, "!uptime", r => r.StartsWith("up ", StringComparison.Ordinal))).Value;
            var signOn = await SignOnAsync(tester);
            await build.DeployNewBuildAsync("2.0.0-next", Timeout);

            // A line every 50 ms while the whole process is replaced: each is answered exactly once.
            var echoes = await EchoWhileAsync(tester, async () =>
            {
                var reply = await RestartAsync(bot.Id);
                Assert.True(reply.Ok, reply.Error);
                Assert.Equal(["irc"], reply.Connections);
                newPid = Assert.NotNull(reply.NewPid);
                await WaitForExitAsync(bot.Id);
            });
            Assert.Equal(Enumerable.Range(1, echoes.Count), echoes.Select(e => e.N).Order());

            // The new process serves the same session, and reloads its plugins as the old one did.
            // The version carries the commit after a '+'.
            Assert.Contains(bot.Lines, l => l.Contains("IrcBot 2.0.0-next+", StringComparison.Ordinal) && l.EndsWith($" starting (pid {newPid})", StringComparison.Ordinal));
            Assert.Contains(bot.Lines, l => !l.Contains("IrcBot 2.0.0-next", StringComparison.Ordinal) && l.EndsWith($" starting (pid {bot.Id})", StringComparison.Ordinal));
            await bot.WaitForLineAsync(l => l.Contains("Took over the IRC session from the previous process: moltbot, connection #1", StringComparison.Ordinal), Timeout);
            Assert.Equal(connection, ConnectionPattern().Match(await AskBotAsync(tester, "!uptime", r => r.StartsWith("up ", StringComparison.Ordinal))).Value);
            Assert.Equal(signOn, await SignOnAsync(tester));
            var commands = Path.Combine(plugins, "0100_commands.cs");
            await Save(commands, Replace(await File.ReadAllTextAsync(commands), "$\"echo: {argument}\"", "$\"ECHO<{argument}>\""));
            await SignalAsync(newPid!.Value, "USR1");
            await bot.WaitForLineAsync(l => l.Contains("Reloaded generation 2", StringComparison.Ordinal) && l.Contains("(signal)", StringComparison.Ordinal), Timeout);
            Assert.Equal("ECHO<new>", await AskBotAsync(tester, "!echo new", r => r.Contains("new", StringComparison.Ordinal)));

            Assert.Single(tester.Lines, IsBotJoin);
            Assert.DoesNotContain(tester.Lines, IsBotQuit);
            Assert.DoesNotContain(tester.Lines, l => l.StartsWith($":{BotNick}!", StringComparison.Ordinal) && l.Contains(" NICK ", StringComparison.Ordinal));
            Assert.Single(bot.Lines, l => l.Contains("Registered on", StringComparison.Ordinal));
            Assert.Contains(bot.Lines, l => l.Contains("Handed the IRC session over to the new process", StringComparison.Ordinal));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message}\nThe bot's output:\n{bot.Output}", ex);
        }
        finally
        {
            if (newPid is { } pid && IsAlive(pid))
            {
                await SignalAsync(pid, "TERM");
                await WaitForExitAsync(pid);
            }
        }
    }

    /// <summary>When the server says the bot signed on (WHOIS's 317 reply): a new registration would change it.</summary>
    private static async Task<string> SignOnAsync(IrcClient client)
    {
        var skip = client.Lines.Count;
        client.Send($"WHOIS {BotNick} {BotNick}");
        var idle = await client.WaitForLineAsync(l => l.Contains($" 317 {Admin} {BotNick} ", StringComparison.Ordinal), Timeout, skip);
        return idle.Split(' ')[5];
    }

    private static async Task<RestartReply> RestartAsync(int pid)
    {
        var client = new ControlClient(new ControlClientOptions { SocketPath = ControlSocketPaths.GetDefaultSocketPath(pid), Timeout = Timeout });
        var reply = await client.SendAsync(new ControlRequest(ControlCommands.Restart));
        Assert.True(reply.Ok, reply.Error?.Message);
        return reply.ReadResult(ControlJson.RestartReply);
    }

    /// <summary>Waits for the process to be gone (its output stays open: the new process shares it).</summary>
    private static async Task WaitForExitAsync(int pid)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        while (IsAlive(pid))
        {
            await Task.Delay(50, cancel.Token);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
