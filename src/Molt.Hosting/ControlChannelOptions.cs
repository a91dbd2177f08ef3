using System.Net;
using Molt.Control;

namespace Molt.Hosting;

/// <summary>
/// Configures the control channel that <c>molt reload</c>, <c>molt status</c> and other
/// <see cref="ControlClient"/>s talk to: a Unix socket that only the process's user and root may
/// use, and optionally a TCP port on which every request must carry a token.
/// </summary>
public sealed class ControlChannelOptions
{
    /// <summary>The shortest TCP token accepted, so that a guessable token cannot be configured by accident.</summary>
    public const int MinimumTokenLength = ControlServerOptions.MinimumTokenLength;

    /// <summary>Gets or sets the Unix socket's path (absolute).</summary>
    /// <value>
    /// The default is <see langword="null"/>: <see cref="ControlSocketPaths.GetDefaultSocketPath"/> of the
    /// current process. The socket's directory is created with mode 0700 when missing, and is refused
    /// when it is a symlink, owned by another user, or writable by group or others.
    /// </value>
    public string? SocketPath { get; set; }

    /// <summary>Gets or sets a value indicating whether the channel listens on TCP as well.</summary>
    /// <value>The default is <see langword="false"/>. When <see langword="true"/>, <see cref="TcpToken"/> is required.</value>
    public bool EnableTcp { get; set; }

    /// <summary>Gets or sets the address the TCP listener binds.</summary>
    /// <value>The default is <see cref="IPAddress.Loopback"/>. Any other non-loopback address needs <see cref="AllowNonLoopbackTcp"/>.</value>
    public IPAddress TcpAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Gets or sets the TCP port.</summary>
    /// <value>The default is 0: the system picks a free port, reported by <see cref="MoltHostStatus.ControlTcpEndPoint"/>.</value>
    public int TcpPort { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="TcpAddress"/> may be a non-loopback address, exposing the channel to the network.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowNonLoopbackTcp { get; set; }

    /// <summary>Gets or sets the secret every TCP request must carry in its <c>token</c> member (compared in constant time).</summary>
    /// <value>The default is <see langword="null"/>; required, at least <see cref="MinimumTokenLength"/> characters long, when <see cref="EnableTcp"/> is set.</value>
    public string? TcpToken { get; set; }

    /// <summary>Builds the server's options; the server's limits keep their defaults.</summary>
    /// <exception cref="InvalidOperationException">An option is invalid (for example, TCP without a token).</exception>
    internal ControlServerOptions ToServerOptions()
    {
        var options = new ControlServerOptions
        {
            SocketPath = SocketPath,
            EnableTcp = EnableTcp,
            TcpAddress = TcpAddress,
            TcpPort = TcpPort,
            AllowNonLoopbackTcp = AllowNonLoopbackTcp,
            TcpToken = TcpToken,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            // The host's other option errors are InvalidOperationException; one type to catch at start.
            throw new InvalidOperationException(ex.Message, ex);
        }

        return options;
    }
}
