using Microsoft.Extensions.Logging;

namespace IrcBot;

/// <summary>The bot's log messages (event ids in the 3000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(3008, LogLevel.Information, "IrcBot {Version} starting (pid {Pid})")]
    public static partial void Starting(ILogger logger, string version, int pid);

    [LoggerMessage(3000, LogLevel.Information, "Connecting to {Host}:{Port} as {Nick} (connection #{Connection})")]
    public static partial void Connecting(ILogger logger, string host, int port, string nick, int connection);

    [LoggerMessage(3001, LogLevel.Information, "Registered on {Server} as {Nick}")]
    public static partial void Registered(ILogger logger, string server, string nick);

    [LoggerMessage(3002, LogLevel.Information, "Joined {Channel}")]
    public static partial void Joined(ILogger logger, string channel);

    [LoggerMessage(3006, LogLevel.Information, "Took over the IRC session from the previous process: {Nick}, connection #{Connection}")]
    public static partial void TookOver(ILogger logger, string nick, int connection);

    [LoggerMessage(3007, LogLevel.Information, "Handed the IRC session over to the new process; this one stops")]
    public static partial void HandedOver(ILogger logger);

    [LoggerMessage(3003, LogLevel.Error, "The connection closed; the bot stops")]
    public static partial void ConnectionClosed(ILogger logger);

    [LoggerMessage(3004, LogLevel.Error, "The connection failed; the bot stops: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string reason);

    [LoggerMessage(3005, LogLevel.Debug, "Dropped a line sent while not connected: {Line}")]
    public static partial void Dropped(ILogger logger, string line);

    [LoggerMessage(3010, LogLevel.Error, "A plugin's {Hook} handler threw {Exception}; the bot goes on")]
    public static partial void PluginThrew(ILogger logger, string hook, string exception);

    [LoggerMessage(3020, LogLevel.Information, "{Nick} asked for a reload")]
    public static partial void ReloadRequested(ILogger logger, string nick);

    [LoggerMessage(3021, LogLevel.Warning, "{Nick} asked for a reload but is not the admin")]
    public static partial void ReloadRefused(ILogger logger, string nick);

    [LoggerMessage(3022, LogLevel.Error, "A reload asked for over IRC threw")]
    public static partial void ReloadThrew(ILogger logger, Exception exception);
}
