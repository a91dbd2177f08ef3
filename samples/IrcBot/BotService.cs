using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IrcBot;

/// <summary>
/// The permanent part's line loop: connects, registers, reads one line at a time and hands it
/// to the plugins' hooks. It is started after Molt, so every plugin is loaded before the first
/// line. A handler that throws is logged and the loop goes on; when the connection ends the bot
/// stops (BaseT: the loop ends when no stream is open).
/// </summary>
internal sealed class BotService(BotOptions options, IrcConnection irc, ReloadCommand reload, IHostApplicationLifetime lifetime, ILogger<BotService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(options.Host, options.Port, stoppingToken);
            await using var stream = client.GetStream();
            var connection = irc.Open(stream);
            Log.Connecting(logger, options.Host, options.Port, options.Nick, connection);
            irc.Send("NICK " + options.Nick);
            irc.Send($"USER {options.Nick} 0 * :Molt IrcBot");
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            while (await reader.ReadLineAsync(stoppingToken) is { } raw)
            {
                Dispatch(IrcLine.Parse(raw));
            }

            Log.ConnectionClosed(logger);
            Environment.ExitCode = 1;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the host is stopping.
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Log.ConnectionFailed(logger, ex.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            irc.Close();
            lifetime.StopApplication();
        }
    }

    private void Dispatch(IrcLine line)
    {
        if (line.Command.Length == 0)
        {
            return;
        }

        Bot.LineReceived.InvokeAll(h => h(line), ex => PluginThrew(Bot.LineReceived.Name, ex));
        switch (line.Command)
        {
            case "001" when line.Parameters.Count > 0:
                irc.Registered(line.Parameters[0]);
                Log.Registered(logger, line.Prefix ?? "the server", irc.Nick);
                Bot.Connected.InvokeAll(h => h(), ex => PluginThrew(Bot.Connected.Name, ex));
                break;
            case "433" when irc.ConnectedAt is null:
                // Nick in use while registering: ask for another one.
                irc.ChangeNick(irc.Nick + "_");
                break;
            case "JOIN" when line.Parameters.Count > 0 && string.Equals(line.Nick, irc.Nick, StringComparison.OrdinalIgnoreCase):
                Log.Joined(logger, line.Parameters[0]);
                break;
            case "PRIVMSG" when line.Parameters.Count >= 2 && line.Nick is { } nick:
                var message = new IrcMessage(nick, line.Parameters[0], line.Trailing);
                if (!reload.TryHandle(message))
                {
                    Bot.Message.InvokeAll(h => h(message), ex => PluginThrew(Bot.Message.Name, ex));
                }

                break;
        }
    }

    private void PluginThrew(string hook, Exception ex)
    {
        // Text only: keeping the exception (and its stack trace) would keep the plugin's generation in memory.
        var frame = new StackTrace(ex, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is not null);
        var where = frame is null ? string.Empty : $" at {Path.GetFileName(frame.GetFileName())}:{frame.GetFileLineNumber()}";
        Log.PluginThrew(logger, hook, $"{ex.GetType().Name}: {ex.Message}{where}");
    }
}
