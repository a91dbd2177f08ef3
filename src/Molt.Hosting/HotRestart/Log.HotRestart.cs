using Microsoft.Extensions.Logging;

namespace Molt.Hosting;

/// <summary>Hot restart's log messages (2040-2049).</summary>
internal static partial class Log
{
    [LoggerMessage(2040, LogLevel.Information, "Hot restart ({Trigger}): starting a new process")]
    public static partial void RestartStarting(ILogger logger, string trigger);

    [LoggerMessage(2041, LogLevel.Information, "Hot restart: process {NewPid} is ready after {ElapsedMs:F0} ms; this process stops accepting, drains and exits")]
    public static partial void RestartSucceeded(ILogger logger, int newPid, double elapsedMs);

    [LoggerMessage(2042, LogLevel.Warning, "Hot restart failed: {Reason}; this process goes on serving")]
    public static partial void RestartFailed(ILogger logger, string reason);

    [LoggerMessage(2043, LogLevel.Information, "Hot restart: adopted listener(s) {Listeners} from process {OldPid}")]
    public static partial void HandoverReceived(ILogger logger, int oldPid, string listeners);

    [LoggerMessage(2045, LogLevel.Warning, "Hot restart: connection(s) {Names} were handed over but nothing in this process took them (IHotRestartConnections.Take) within {GraceSeconds} s; they are closed")]
    public static partial void ConnectionsNotTaken(ILogger logger, string names, double graceSeconds);

    [LoggerMessage(2044, LogLevel.Information, "Hot restart: told process {OldPid} this one is ready (acknowledged: {Acknowledged})")]
    public static partial void HandoverCompleted(ILogger logger, int oldPid, bool acknowledged);
}
