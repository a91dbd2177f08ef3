using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Molt.Hosting;

namespace IrcBot;

/// <summary>
/// The permanent part's line loop: connects, registers, reads one line at a time and hands it
/// to the plugins' hooks. It is started after Molt, so every plugin is loaded before the first
/// line. A handler that throws is logged and the loop goes on; when the connection ends the bot
/// stops (BaseT: the loop ends when no stream is open). After a hot restart (<c>molt restart</c>,
/// SIGUSR2) the new process takes the same session over: no new connection, no registration,
/// no line lost.
/// </summary>
internal sealed class BotService(BotOptions options, IrcConnection irc, ReloadCommand reload, IHostApplicationLifetime lifetime, ILogger<BotService> logger)
    : BackgroundService
{
    private readonly ILogger _logger = logger;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HotRestartConnection? session = null;
        Log.Starting(_logger, typeof(BotService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?", Environment.ProcessId);
        try
        {
            session = TakeOver() ?? await ConnectAsync(stoppingToken);
            while (await session.ReadLineAsync(stoppingToken) is { } raw)
            {
                Dispatch(IrcLine.Parse(raw));
            }

            Log.ConnectionClosed(_logger);
            Environment.ExitCode = 1;
        }
        catch (OperationCanceledException) when (session?.HandedOver.IsCancellationRequested == true)
        {
            // A hot restart: the new process goes on with the session; this one is stopping.
            Log.HandedOver(_logger);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the host is stopping.
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Log.ConnectionFailed(_logger, ex.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            irc.Close();
            if (session is not null)
            {
                await session.DisposeAsync();
            }

            lifetime.StopApplication();
        }
    }

    /// <summary>Goes on with the session the previous process handed over, if this process was started by a hot restart.</summary>
    private HotRestartConnection? TakeOver()
    {
        if (irc.TakeOver() is not { } session)
        {
            return null;
        }

        Log.TookOver(_logger, irc.Nick, irc.ConnectionId);
        return session;
    }

    /// <summary>Opens a new session and registers.</summary>
    private async Task<HotRestartConnection> ConnectAsync(CancellationToken stoppingToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, stoppingToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var (session, connection) = irc.Open(socket);
        Log.Connecting(_logger, options.Host, options.Port, options.Nick, connection);
        irc.Send("NICK " + options.Nick);
        irc.Send($"USER {options.Nick} 0 * :Molt IrcBot");
        return session;
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
                Log.Registered(_logger, line.Prefix ?? "the server", irc.Nick);
                Bot.Connected.InvokeAll(h => h(), ex => PluginThrew(Bot.Connected.Name, ex));
                break;
            case "433" when irc.ConnectedAt is null:
                // Nick in use while registering: ask for another one.
                irc.ChangeNick(irc.Nick + "_");
                break;
            case "JOIN" when line.Parameters.Count > 0 && string.Equals(line.Nick, irc.Nick, StringComparison.OrdinalIgnoreCase):
                Log.Joined(_logger, line.Parameters[0]);
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
        Log.PluginThrew(_logger, hook, $"{ex.GetType().Name}: {ex.Message}{where}");
    }
}
