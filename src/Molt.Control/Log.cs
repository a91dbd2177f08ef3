using Microsoft.Extensions.Logging;

namespace Molt.Control;

/// <summary>The control channel's log messages. Event ids are stable: 4100–4199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Control channel listening on Unix socket {SocketPath}")]
    public static partial void ListeningUnix(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Control channel listening on TCP {EndPoint} (token required)")]
    public static partial void ListeningTcp(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Control channel stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Removed stale control socket {SocketPath}")]
    public static partial void StaleSocketRemoved(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Refused control connection from pid {ProcessId} uid {UserId}: only uid {OwnerId} and root may connect")]
    public static partial void PeerForbidden(ILogger logger, int processId, uint userId, uint ownerId);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Refused control connection: its peer credentials could not be read")]
    public static partial void PeerUnknown(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Refused TCP control request from {RemoteEndPoint}: missing or wrong token")]
    public static partial void Unauthorized(ILogger logger, string remoteEndPoint);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Debug, Message = "Rejected control request: {Code}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Closed control connection: request line over {Limit} bytes")]
    public static partial void RequestTooLarge(ILogger logger, int limit);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Debug, Message = "Handled control command {Command} (ok: {Ok})")]
    public static partial void Handled(ILogger logger, string command, bool ok);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Error, Message = "Control handler failed on command {Command}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string command);

    [LoggerMessage(EventId = 4130, Level = LogLevel.Debug, Message = "Closed idle control connection")]
    public static partial void IdleClosed(ILogger logger);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Information, Message = "Closed the longest-idle control connection to admit a new one (limit {Limit})")]
    public static partial void Evicted(ILogger logger, int limit);

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning, Message = "Refused control connection: all {Limit} connections are busy")]
    public static partial void Busy(ILogger logger, int limit);

    [LoggerMessage(EventId = 4133, Level = LogLevel.Debug, Message = "Control connection ended with a socket error")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4140, Level = LogLevel.Error, Message = "Accepting a control connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4141, Level = LogLevel.Warning, Message = "Control channel stop gave up waiting for handlers that did not finish")]
    public static partial void StopAbandoned(ILogger logger);
}
