using System.Net;

namespace Molt.Control;

/// <summary>Configures a <see cref="ControlServer"/>.</summary>
internal sealed class ControlServerOptions
{
    /// <summary>The shortest TCP token accepted, so that a guessable token cannot be configured by accident.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>Gets or sets the Unix socket's path.</summary>
    /// <value>
    /// The default is <see langword="null"/>: <see cref="ControlSocketPaths.GetDefaultSocketPath"/>
    /// of the current process. The socket's directory is created with mode 0700 when missing and is
    /// refused when it is a symlink, owned by another user, or writable by group or others.
    /// </value>
    public string? SocketPath { get; set; }

    /// <summary>Gets or sets the longest request line accepted, in bytes (newline excluded).</summary>
    /// <value>The default is 65,536 (64 KiB). A longer line gets <see cref="ControlErrorCodes.RequestTooLarge"/> and the connection is closed.</value>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Gets or sets the deepest JSON nesting accepted in a request.</summary>
    /// <value>The default is 32.</value>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Gets or sets how many connections may be open at once (Unix and TCP together).</summary>
    /// <value>
    /// The default is 64. When full, a new connection displaces the connection that has been idle
    /// longest; when every connection is busy with a request it gets <see cref="ControlErrorCodes.Busy"/>.
    /// </value>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Gets or sets how long a connection may take to send its next complete request line before it is closed.</summary>
    /// <value>The default is 30 seconds. The same limit bounds writing a reply to a peer that does not read.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether to listen on TCP as well.</summary>
    /// <value>The default is <see langword="false"/>. When <see langword="true"/>, <see cref="TcpToken"/> is required.</value>
    public bool EnableTcp { get; set; }

    /// <summary>Gets or sets the address the TCP listener binds.</summary>
    /// <value>The default is <see cref="IPAddress.Loopback"/>. Any other non-loopback address needs <see cref="AllowNonLoopbackTcp"/>.</value>
    public IPAddress TcpAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Gets or sets the TCP port.</summary>
    /// <value>The default is 0: the system picks a free port, reported by <see cref="ControlServer.TcpEndPoint"/>.</value>
    public int TcpPort { get; set; }

    /// <summary>Gets or sets whether <see cref="TcpAddress"/> may be a non-loopback address, exposing the channel to the network.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowNonLoopbackTcp { get; set; }

    /// <summary>Gets or sets the secret every TCP request must carry in its <c>token</c> member.</summary>
    /// <value>The default is <see langword="null"/>; required (at least <see cref="MinimumTokenLength"/> characters) when <see cref="EnableTcp"/> is set.</value>
    public string? TcpToken { get; set; }

    /// <summary>Gets or sets the clock for idle timeouts.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets where the server adopts its listeners from, and keeps them for, a hot restart;
    /// only listeners at a fixed address (<see cref="SocketPath"/> set, <see cref="TcpPort"/> not 0)
    /// are passed on: a per-process socket and a port the system picked are bound afresh.
    /// </summary>
    internal IListenerHandover? Handover { get; set; }

    /// <summary>Gets or sets the socket file's mode; only tests widen it, to prove the peer-credential check on its own.</summary>
    internal UnixFileMode SocketFileMode { get; set; } = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent.</exception>
    internal void Validate()
    {
        Require(MaxRequestBytes > 0, "MaxRequestBytes must be positive.");
        Require(MaxJsonDepth > 0, "MaxJsonDepth must be positive.");
        Require(MaxConnections > 0, "MaxConnections must be positive.");
        Require(IdleTimeout > TimeSpan.Zero, "IdleTimeout must be positive.");
        Require(TimeProvider is not null, "TimeProvider must be set.");
        Require(SocketPath is null || Path.IsPathFullyQualified(SocketPath), "SocketPath must be an absolute path.");
        if (!EnableTcp)
        {
            return;
        }

        Require(!string.IsNullOrEmpty(TcpToken), "EnableTcp needs a TcpToken: the TCP listener authenticates every request by its token.");
        Require(TcpToken!.Length >= MinimumTokenLength, $"TcpToken must be at least {MinimumTokenLength} characters long.");
        Require(TcpAddress is not null, "TcpAddress must be set.");
        Require(AllowNonLoopbackTcp || IPAddress.IsLoopback(TcpAddress!), $"TcpAddress {TcpAddress} is not a loopback address; set AllowNonLoopbackTcp to expose the control channel to the network.");
        Require(TcpPort is >= 0 and <= 65535, "TcpPort must be between 0 and 65535.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid control server options: {message}");
        }
    }
}
