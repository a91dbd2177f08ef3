using System.Net;

namespace Molt.Control;

/// <summary>Configures a <see cref="ControlClient"/>: set either <see cref="SocketPath"/> or <see cref="TcpEndPoint"/> and <see cref="Token"/>.</summary>
public sealed class ControlClientOptions
{
    /// <summary>Gets or sets the Unix socket to connect to.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? SocketPath { get; set; }

    /// <summary>Gets or sets the TCP endpoint to connect to, used when <see cref="SocketPath"/> is not set.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IPEndPoint? TcpEndPoint { get; set; }

    /// <summary>Gets or sets the token sent with every request over TCP.</summary>
    /// <value>The default is <see langword="null"/>; required with <see cref="TcpEndPoint"/>.</value>
    public string? Token { get; set; }

    /// <summary>Gets or sets how long to wait for connecting, sending and the reply together.</summary>
    /// <value>The default is 30 seconds (a reload may take a while to compile).</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest reply line accepted, in bytes.</summary>
    /// <value>The default is 16 MiB.</value>
    public int MaxReplyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Gets or sets the clock for the timeout.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
