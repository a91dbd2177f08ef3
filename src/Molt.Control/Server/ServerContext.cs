using Microsoft.Extensions.Logging;

namespace Molt.Control;

/// <summary>What every connection of one server shares; option values are copied so later edits to the options object have no effect.</summary>
internal sealed class ServerContext(IControlHandler handler, ControlServerOptions options, ILogger logger, CancellationToken stopping)
{
    public IControlHandler Handler { get; } = handler;

    public ILogger Logger { get; } = logger;

    public CancellationToken Stopping { get; } = stopping;

    public RequestParser Parser { get; } = new(options.MaxJsonDepth);

    public ConnectionRegistry Registry { get; } = new(options.MaxConnections);

    public TokenCheck? Tokens { get; } = options.EnableTcp ? new TokenCheck(options.TcpToken!) : null;

    public uint OwnerUid { get; } = LibC.GetEffectiveUserId();

    public int MaxRequestBytes { get; } = options.MaxRequestBytes;

    public int MaxConnections { get; } = options.MaxConnections;

    public TimeSpan IdleTimeout { get; } = options.IdleTimeout;

    public TimeProvider TimeProvider { get; } = options.TimeProvider;
}
