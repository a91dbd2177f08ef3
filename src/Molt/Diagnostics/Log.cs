using Microsoft.Extensions.Logging;

namespace Molt;

/// <summary>Molt's log messages. Event ids are stable: tools may filter on them.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Reloaded generation {Generation} in {ElapsedMs:F1} ms ({Trigger}): {Changes}")]
    public static partial void Reloaded(ILogger logger, int generation, double elapsedMs, string trigger, string changes);

    [LoggerMessage(1001, LogLevel.Debug, "Reload ({Trigger}): nothing changed")]
    public static partial void NothingChanged(ILogger logger, string trigger);

    [LoggerMessage(1002, LogLevel.Error, "Reload failed ({Trigger}): {Error}; generation {Generation} keeps serving")]
    public static partial void ReloadFailed(ILogger logger, string trigger, string error, int generation);

    [LoggerMessage(1004, LogLevel.Error, "Load failed ({Trigger}): {Error}; nothing is serving")]
    public static partial void LoadFailed(ILogger logger, string trigger, string error);

    [LoggerMessage(1003, LogLevel.Error, "{Diagnostic}")]
    public static partial void Diagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(1010, LogLevel.Debug, "Generation {Module}#{Generation} was collected")]
    public static partial void GenerationCollected(ILogger logger, string module, int generation);

    [LoggerMessage(1011, LogLevel.Warning, "Generation {Module}#{Generation} leaked: {Message}")]
    public static partial void GenerationLeaked(ILogger logger, string module, int generation, string message);

    [LoggerMessage(1020, LogLevel.Warning, "Unload hook of {Module}#{Generation} failed")]
    public static partial void UnloadHookFailed(ILogger logger, string module, int generation, Exception exception);

    [LoggerMessage(1021, LogLevel.Warning, "A callback on the retired token of {Module}#{Generation} threw")]
    public static partial void RetiredCallbackFailed(ILogger logger, string module, int generation, Exception exception);

    [LoggerMessage(1022, LogLevel.Warning, "Disposing a resource of {Module}#{Generation} threw")]
    public static partial void ResourceDisposeFailed(ILogger logger, string module, int generation, Exception exception);

    [LoggerMessage(1023, LogLevel.Error, "A timer callback of {Module}#{Generation} threw")]
    public static partial void TimerCallbackFailed(ILogger logger, string module, int generation, Exception exception);

    [LoggerMessage(1024, LogLevel.Warning, "{Calls} tracked call(s) were still running in {Module}#{Generation} after the drain timeout")]
    public static partial void DrainTimedOut(ILogger logger, string module, int generation, int calls);

    [LoggerMessage(1025, LogLevel.Error, "Retiring {Module}#{Generation} failed while {Step}; the other steps ran")]
    public static partial void RetireStepFailed(ILogger logger, string module, int generation, string step, Exception exception);

    [LoggerMessage(1026, LogLevel.Error, "Undoing '{Step}' after a failed reload threw")]
    public static partial void UndoFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(1027, LogLevel.Error, "The new generation serves, but {Step} failed")]
    public static partial void SwitchStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(1028, LogLevel.Error, "Reload ({Trigger}) failed with an internal error")]
    public static partial void InternalError(ILogger logger, string trigger, Exception exception);

    [LoggerMessage(1030, LogLevel.Error, "An event handler of {Event} threw")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(1050, LogLevel.Information, "State snapshot written to {Path}: {Count} value(s)")]
    public static partial void SnapshotWritten(ILogger logger, string path, int count);

    [LoggerMessage(1051, LogLevel.Information, "State snapshot restored from {Path}: {Count} value(s)")]
    public static partial void SnapshotRestored(ILogger logger, string path, int count);

    [LoggerMessage(1052, LogLevel.Warning, "State snapshot {Path} could not be read, starting with initial values: {Reason}")]
    public static partial void SnapshotUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(1053, LogLevel.Error, "State snapshot {Path} could not be written at stop")]
    public static partial void SnapshotFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1060, LogLevel.Warning, "The compilation cache {Path} is not used: {Reason}")]
    public static partial void CompilationCacheUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(1061, LogLevel.Warning, "Compilation cache entry {Path} could not be read: {Reason}")]
    public static partial void CompilationCacheEntryUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(1062, LogLevel.Warning, "Compilation cache {Path} could not be written: {Reason}")]
    public static partial void CompilationCacheWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(1070, LogLevel.Information, "Restored {Count} package(s) for modules in {ElapsedMs:F0} ms ({Path})")]
    public static partial void PackagesRestored(ILogger logger, int count, double elapsedMs, string path);

    [LoggerMessage(1071, LogLevel.Debug, "Resolved {Count} package(s) for modules in {ElapsedMs:F1} ms from {Path}")]
    public static partial void PackagesFromCache(ILogger logger, int count, double elapsedMs, string path);

    [LoggerMessage(1072, LogLevel.Warning, "The package cache {Path} could not be used: {Reason}")]
    public static partial void PackageCacheUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(1042, LogLevel.Debug, "Built the compilations of {Count} module(s) loaded from the compilation cache in {ElapsedMs:F0} ms")]
    public static partial void Primed(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(1040, LogLevel.Debug, "Compiler warm-up took {ElapsedMs:F0} ms")]
    public static partial void WarmedUp(ILogger logger, double elapsedMs);

    [LoggerMessage(1041, LogLevel.Warning, "Compiler warm-up failed")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(1080, LogLevel.Debug, "Compile server: no {FileName} found; modules compile in-process")]
    public static partial void CompileServerMissing(ILogger logger, string fileName);

    [LoggerMessage(1081, LogLevel.Information, "Compile server started: {Program} on {Socket}")]
    public static partial void CompileServerStarted(ILogger logger, string program, string socket);

    [LoggerMessage(1082, LogLevel.Debug, "Compile server did not compile {Module} ({Reason}); compiled in-process")]
    public static partial void CompileServerFellBack(ILogger logger, string module, string reason);

    [LoggerMessage(1083, LogLevel.Warning, "Compile server no longer used by this engine: {Reason}; modules compile in-process")]
    public static partial void CompileServerDisabled(ILogger logger, string reason);
}
