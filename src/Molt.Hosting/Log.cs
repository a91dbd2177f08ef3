using Microsoft.Extensions.Logging;

namespace Molt.Hosting;

/// <summary>Molt.Hosting's log messages. Event ids are stable (the 2000 range): tools may filter on them.</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "Molt started: generation {Generation}, {Modules} module(s) in {ElapsedMs:F0} ms")]
    public static partial void Started(ILogger logger, int generation, int modules, double elapsedMs);

    [LoggerMessage(2001, LogLevel.Information, "Molt stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(2002, LogLevel.Information, "Control channel listening on {SocketPath}")]
    public static partial void ControlListening(ILogger logger, string socketPath);

    [LoggerMessage(2010, LogLevel.Debug, "Watching {Directory} (subfolders: {Recursive})")]
    public static partial void Watching(ILogger logger, string directory, bool recursive);

    [LoggerMessage(2011, LogLevel.Warning, "Cannot watch {Directory}")]
    public static partial void WatchFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(2012, LogLevel.Warning, "The watcher of {Directory} lost events; rescanning every module")]
    public static partial void WatcherError(ILogger logger, string directory, Exception exception);

    [LoggerMessage(2013, LogLevel.Information, "Polling the module files every {IntervalMs:F0} ms ({Reason})")]
    public static partial void Polling(ILogger logger, double intervalMs, string reason);

    [LoggerMessage(2020, LogLevel.Information, "Retrying the failed reload in {DelayMs:F0} ms unless the files change first")]
    public static partial void RetryScheduled(ILogger logger, double delayMs);

    [LoggerMessage(2021, LogLevel.Error, "A reload requested by {Trigger} threw")]
    public static partial void ReloadThrew(ILogger logger, string trigger, Exception exception);

    [LoggerMessage(2030, LogLevel.Warning, "Stopping Molt did not finish cleanly")]
    public static partial void StopFailed(ILogger logger, Exception exception);
}
