using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Molt.Samples.Tests.Irc;

namespace Molt.Samples.Tests;

/// <summary>The IrcBot sample as a real process on a real ngircd, watched by raw IRC clients.</summary>
public sealed partial class IrcBotTests
{
    private const string Channel = "#molt";
    private const string BotNick = "moltbot";
    private const string Admin = "tester";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [NgircdFact]
    public async Task ASavedEditAnswersOnTheSameConnectionWithoutLosingALineAndABrokenEditKeepsTheOldPlugin()
    {
        await using var server = await NgircdServer.StartAsync(Timeout);
        await using var tester = await IrcClient.ConnectAsync(server.Port, Admin, Timeout);
        await using var alice = await IrcClient.ConnectAsync(server.Port, "alice", Timeout);
        await tester.JoinAsync(Channel, Timeout);
        await alice.JoinAsync(Channel, Timeout);

        var plugins = SamplePaths.CopyModules("IrcBot", "plugins");
        var commands = Path.Combine(plugins, "0100_commands.cs");
        var original = await File.ReadAllTextAsync(commands);
        await using var bot = StartBot(server, plugins);
        await tester.WaitForLineAsync(IsBotJoin, Timeout);

        alice.Say(Channel, "hello from alice");
        Assert.Equal("echo: one", await AskBotAsync(tester, "!echo one", r => r.StartsWith("echo:", StringComparison.Ordinal)));
        var uptime = await AskBotAsync(tester, "!uptime", r => r.StartsWith("up ", StringComparison.Ordinal));
        var connection = ConnectionPattern().Match(uptime).Value;
        Assert.StartsWith("connection #1 since 20", connection, StringComparison.Ordinal);

        // A line every 50 ms while the plugin is edited: every one is answered exactly once, by the old code or the new.
        var newEcho = Replace(original, "$\"echo: {argument}\"", "$\"ECHO<{argument}>\"");
        var echoes = await EchoWhileAsync(tester, async () =>
        {
            await Save(commands, newEcho);
            await tester.WaitForLineAsync(l => IrcClient.MessageText(l, BotNick, Channel)?.StartsWith("ECHO<", StringComparison.Ordinal) == true, Timeout);
        });
        Assert.Equal(Enumerable.Range(1, echoes.Count), echoes.Select(e => e.N).Order());
        var firstNew = echoes.FindIndex(e => e.New);
        Assert.True(firstNew >= 10, $"expected old answers before the switch, got {firstNew}");
        Assert.True(echoes.Count - firstNew >= 20, "expected new answers after the switch");
        Assert.All(echoes.Take(firstNew), e => Assert.False(e.New));
        Assert.All(echoes.Skip(firstNew), e => Assert.True(e.New));
        await bot.WaitForLineAsync(l => l.Contains("Reloaded generation 2", StringComparison.Ordinal) && l.Contains("(watcher): commands#2 (changed)", StringComparison.Ordinal), Timeout);

        // The !seen data was migrated into the new generation's Sighting.
        Assert.StartsWith("alice was last seen in #molt ", await AskBotAsync(tester, "!seen alice", r => r.StartsWith("alice ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith("saying: hello from alice", await AskBotAsync(tester, "!seen alice", r => r.StartsWith("alice ", StringComparison.Ordinal)), StringComparison.Ordinal);

        // A syntax error: the admin is told where, privately; the old plugin keeps answering.
        var adminSkip = tester.Lines.Count;
        await Save(commands, Replace(newEcho, "\"!uptime\" => Uptime(),", "\"!uptime\" => Uptime()"));
        var failed = await tester.WaitForLineAsync(l => IrcClient.MessageText(l, BotNick, Admin)?.StartsWith("reload failed (watcher)", StringComparison.Ordinal) == true, Timeout, adminSkip);
        Assert.Contains("generation 2 keeps serving", failed, StringComparison.Ordinal);
        await tester.WaitForLineAsync(l => IrcClient.MessageText(l, BotNick, Admin) is { } t && DiagnosticPattern().IsMatch(t), Timeout, adminSkip);
        await bot.WaitForLineAsync(l => l.Contains("0100_commands.cs(", StringComparison.Ordinal) && l.Contains("CS1003", StringComparison.Ordinal), Timeout);
        Assert.Equal("ECHO<still>", await AskBotAsync(tester, "!echo still", r => r.Contains("still", StringComparison.Ordinal)));

        // !reload is the admin's: anyone else is refused; the admin hears the same error again.
        Assert.Equal("alice: only tester may reload.", await AskBotAsync(alice, "!reload", r => r.StartsWith("alice:", StringComparison.Ordinal)));
        var again = await AskBotAsync(tester, "!reload", r => r.StartsWith("reload", StringComparison.Ordinal));
        Assert.Contains("reload failed (irc)", again, StringComparison.Ordinal);
        Assert.Contains("as they were at the last failure", again, StringComparison.Ordinal);

        // The fix adds a member to Sighting: every entry migrates and gains it.
        var withTimes = Replace(newEcho, "record Sighting(string Channel, string Text, DateTimeOffset At);", "record Sighting(string Channel, string Text, DateTimeOffset At, int Times = 1);");
        withTimes = Replace(withTimes, "saying: {sighting.Text}\"", "saying: {sighting.Text} ({sighting.Times}x)\"");
        await Save(commands, withTimes);
        await bot.WaitForLineAsync(l => l.Contains("Reloaded generation 3", StringComparison.Ordinal), Timeout);
        Assert.EndsWith("saying: hello from alice (1x)", await AskBotAsync(tester, "!seen alice", r => r.StartsWith("alice ", StringComparison.Ordinal)), StringComparison.Ordinal);

        // Same connection all along: one JOIN, no QUIT, the same connection in !uptime.
        Assert.Equal(connection, ConnectionPattern().Match(await AskBotAsync(tester, "!uptime", r => r.StartsWith("up ", StringComparison.Ordinal))).Value);
        var reloads = await AskBotAsync(tester, "!reloads", r => r.StartsWith("generation", StringComparison.Ordinal));
        // commands#3 was the broken edit's (a number a failed reload showed is never given to another generation).
        Assert.StartsWith("generation 3: pingpong#1, autojoin#1, commands#4, memoryusage#1", reloads, StringComparison.Ordinal);
        Assert.Single(tester.Lines, IsBotJoin);
        Assert.DoesNotContain(tester.Lines, IsBotQuit);
        Assert.Single(tester.Lines, l => IrcClient.MessageText(l, BotNick, Admin)?.StartsWith("reload failed", StringComparison.Ordinal) == true);
        await StopAsync(bot);
    }

    [NgircdFact]
    public async Task SigusrOneAndTheAdminsReloadApplyEditsAThrowingPluginIsIsolatedAndPingsAreAnswered()
    {
        await using var server = await NgircdServer.StartAsync(Timeout);
        await using var tester = await IrcClient.ConnectAsync(server.Port, Admin, Timeout);
        await tester.JoinAsync(Channel, Timeout);
        var plugins = SamplePaths.CopyModules("IrcBot", "plugins");
        await using var bot = StartBot(server, plugins, "--watch", "false");
        await tester.WaitForLineAsync(IsBotJoin, Timeout);

        // ngircd pings an idle client after PingTimeout and drops it PongTimeout later (checked
        // once a second): only the pingpong plugin answers, so the bot is still there well after.
        Assert.Null(await tester.FindAsync(IsBotQuit, 3 * NgircdServer.PingTimeout + TimeSpan.FromSeconds(2)));
        Assert.Equal("echo: alive", await AskBotAsync(tester, "!echo alive", r => r.StartsWith("echo:", StringComparison.Ordinal)));

        // A plugin that throws on every message, and a changed autojoin, loaded by SIGUSR1.
        await Save(Path.Combine(plugins, "0050_throws.cs"), """
            using IrcBot;

            public sealed class Throws : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    context.Attach(Bot.Message, message => throw new InvalidOperationException("plugin bug: " + message.Text));
                    return ValueTask.CompletedTask;
                }
            }
            """);
        var autojoin = Path.Combine(plugins, "0020_autojoin.cs");
        await Save(autojoin, await File.ReadAllTextAsync(autojoin) + "\n// edited: a reload must not join again\n");
        Assert.Equal("echo: unwatched", await AskBotAsync(tester, "!echo unwatched", r => r.StartsWith("echo:", StringComparison.Ordinal)));
        await SignalAsync(bot.Id, "USR1");
        var reloaded = await bot.WaitForLineAsync(l => l.Contains("Reloaded generation 2", StringComparison.Ordinal), Timeout);
        Assert.Contains("(signal)", reloaded, StringComparison.Ordinal);
        Assert.Contains("autojoin#2 (changed)", reloaded, StringComparison.Ordinal);
        Assert.Contains("throws#1 (added)", reloaded, StringComparison.Ordinal);

        Assert.Equal("echo: after", await AskBotAsync(tester, "!echo after", r => r.StartsWith("echo:", StringComparison.Ordinal)));
        var threw = await bot.WaitForLineAsync(l => l.Contains("plugin bug: !echo after", StringComparison.Ordinal), Timeout);
        Assert.Matches(@"message handler threw InvalidOperationException: plugin bug: !echo after at 0050_throws\.cs:\d+", threw);

        // The admin's !reload applies an edit and says what it did.
        var commands = Path.Combine(plugins, "0100_commands.cs");
        await Save(commands, Replace(await File.ReadAllTextAsync(commands), "$\"echo: {argument}\"", "$\"ECHO<{argument}>\""));
        Assert.Equal("echo: before", await AskBotAsync(tester, "!echo before", r => r.Contains("before", StringComparison.Ordinal)));
        var reply = await AskBotAsync(tester, "!reload", r => r.StartsWith("reload", StringComparison.Ordinal));
        Assert.Matches(@"^reloaded generation 3 in \d+ ms: commands#2$", reply);
        Assert.Equal("ECHO<x>", await AskBotAsync(tester, "!echo x", r => r.Contains('x', StringComparison.Ordinal)));

        Assert.Single(tester.Lines, IsBotJoin);
        Assert.DoesNotContain(tester.Lines, IsBotQuit);
        Assert.Contains("connection #1 since", await AskBotAsync(tester, "!uptime", r => r.StartsWith("up ", StringComparison.Ordinal)), StringComparison.Ordinal);
        await StopAsync(bot);
    }

    private static SampleProcess StartBot(NgircdServer server, string plugins, params string[] extra) =>
        SampleProcess.Start("IrcBot", [
            "--server", $"127.0.0.1:{server.Port}", "--nick", BotNick, "--channel", Channel, "--admin", Admin, "--plugins", plugins, .. extra]);

    private static Task<string> AskBotAsync(IrcClient client, string text, Func<string, bool> reply) =>
        client.AskAsync(Channel, text, BotNick, reply, Timeout);

    /// <summary>Sends <c>!echo n</c> every 50 ms while <paramref name="during"/> runs and 20 more after, then collects every answer.</summary>
    private static async Task<List<(int N, bool New)>> EchoWhileAsync(IrcClient client, Func<Task> during)
    {
        var skip = client.Lines.Count;
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var spam = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    client.Say(Channel, $"!echo {Volatile.Read(ref sent) + 1}");
                    Interlocked.Increment(ref sent);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        await client.WaitForLineAsync(l => Echo(l) is { N: >= 10 }, Timeout, skip);
        await during();
        var switched = Volatile.Read(ref sent);
        await client.WaitForLineAsync(l => Echo(l) is { } e && e.N >= switched + 20, Timeout, skip);
        await stop.CancelAsync();
        await spam;
        var last = Volatile.Read(ref sent);
        await client.WaitForLineAsync(l => Echo(l)?.N == last, Timeout, skip);
        return [.. client.Lines.Skip(skip).Select(Echo).OfType<(int N, bool New)>()];
    }

    private static (int N, bool New)? Echo(string line)
    {
        var match = EchoPattern().Match(IrcClient.MessageText(line, BotNick, Channel) ?? string.Empty);
        return match.Success ? (int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture), match.Groups["new"].Success) : null;
    }

    private static bool IsBotJoin(string line) => line.StartsWith($":{BotNick}!", StringComparison.Ordinal) && line.Contains(" JOIN ", StringComparison.Ordinal);

    private static bool IsBotQuit(string line) => line.StartsWith($":{BotNick}!", StringComparison.Ordinal) && line.Contains(" QUIT ", StringComparison.Ordinal);

    private static string Replace(string text, string old, string replacement) =>
        text.Contains(old, StringComparison.Ordinal) ? text.Replace(old, replacement, StringComparison.Ordinal) : throw new InvalidOperationException($"The plugin no longer contains {old}");

    /// <summary>Saves as careful editors do: a temporary file (ignored by Molt), then a rename over the plugin.</summary>
    private static async Task Save(string path, string content)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        using var cancel = new CancellationTokenSource(Timeout);
        await kill.WaitForExitAsync(cancel.Token);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGTERM: the bot leaves cleanly (the host stops, Molt retires every plugin) and exits with 0.</summary>
    private static async Task StopAsync(SampleProcess bot)
    {
        await SignalAsync(bot.Id, "TERM");
        Assert.Equal(0, await bot.WaitForExitAsync(Timeout));
    }

    [GeneratedRegex(@"connection #\d+ since [^;]+$")]
    private static partial Regex ConnectionPattern();

    [GeneratedRegex(@"^(?:echo: (?<n>\d+)|(?<new>ECHO)<(?<n>\d+)>)$")]
    private static partial Regex EchoPattern();

    [GeneratedRegex(@"^0100_commands\.cs:\d+:\d+: CS1003: ")]
    private static partial Regex DiagnosticPattern();
}
