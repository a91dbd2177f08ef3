using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Molt.Control;

/// <summary>
/// Sends one request to a process's control channel and returns its reply: what <c>molt reload</c>
/// and <c>molt status</c> use. Each call opens its own connection, so one client may be used
/// concurrently.
/// </summary>
public sealed class ControlClient
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly ControlClientOptions _options;
    private readonly EndPoint _endPoint;
    private readonly string _description;

    /// <summary>Initialises a client.</summary>
    /// <param name="options">Where to connect and how long to wait.</param>
    /// <exception cref="ArgumentException">Neither or both of a socket path and a TCP endpoint are set, or TCP has no token, or a limit is not positive.</exception>
    public ControlClient(ControlClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.SocketPath is null) == (options.TcpEndPoint is null))
        {
            throw new ArgumentException("Set exactly one of SocketPath and TcpEndPoint.", nameof(options));
        }

        if (options.TcpEndPoint is not null && string.IsNullOrEmpty(options.Token))
        {
            throw new ArgumentException("A TCP control endpoint needs a Token.", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero || options.MaxReplyBytes <= 0)
        {
            throw new ArgumentException("Timeout and MaxReplyBytes must be positive.", nameof(options));
        }

        _options = options;
        _endPoint = options.SocketPath is { } path ? new UnixDomainSocketEndPoint(path) : options.TcpEndPoint!;
        _description = options.SocketPath is { } socketPath
            ? $"the control socket '{socketPath}'"
            : string.Create(CultureInfo.InvariantCulture, $"the control port {options.TcpEndPoint}");
    }

    /// <summary>Sends <paramref name="request"/> and waits for its reply.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Abandons the request.</param>
    /// <returns>The reply; a failed reply (<see cref="ControlReply.Ok"/> false) is returned, not thrown, unless the server refused the client.</returns>
    /// <exception cref="ControlNotListeningException">No process listens at the endpoint.</exception>
    /// <exception cref="ControlTimeoutException">No reply within <see cref="ControlClientOptions.Timeout"/>.</exception>
    /// <exception cref="ControlRefusedException">The server refused the client (another user, wrong token, or busy).</exception>
    /// <exception cref="ControlException">The connection broke, or the reply was malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ControlReply> SendAsync(ControlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        using var socket = _options.SocketPath is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await ConnectAsync(socket, linked.Token).ConfigureAwait(false);
            var sendFailure = await TrySendAsync(socket, RequestCodec.Encode(request, _options.TcpEndPoint is null ? null : _options.Token), linked.Token).ConfigureAwait(false);
            var reply = await ReceiveAsync(socket, sendFailure, linked.Token).ConfigureAwait(false);
            if (!reply.Ok && reply.Error!.Code is ControlErrorCodes.Forbidden or ControlErrorCodes.Unauthorized or ControlErrorCodes.Busy)
            {
                throw new ControlRefusedException(reply.Error.Code, $"The process at {_description} refused the request ({reply.Error.Code}): {reply.Error.Message}");
            }

            return reply;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ControlTimeoutException($"The process at {_description} did not reply within {_options.Timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (SocketException ex)
        {
            throw new ControlException($"The connection to {_description} failed: {ex.Message}", ex);
        }
    }

    private async Task ConnectAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException ex) when (UnixSocketProbe.IsNobodyListening(ex.SocketErrorCode))
            {
                throw new ControlNotListeningException($"No Molt process is listening on {_description}.", ex);
            }
            catch (SocketException ex) when (UnixSocketProbe.IsBacklogFull(ex.SocketErrorCode))
            {
                // A Unix connect does not queue when the backlog is full; try again until the timeout.
                await Task.Delay(ConnectRetryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends the request; a failure is kept rather than thrown, because a server that refused us may have closed early yet left its reason to read.</summary>
    private static async Task<SocketException?> TrySendAsync(Socket socket, byte[] line, CancellationToken cancellationToken)
    {
        try
        {
            var remaining = line.AsMemory();
            while (!remaining.IsEmpty)
            {
                remaining = remaining[await socket.SendAsync(remaining, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
            }

            return null;
        }
        catch (SocketException ex)
        {
            return ex;
        }
    }

    private async Task<ControlReply> ReceiveAsync(Socket socket, SocketException? sendFailure, CancellationToken cancellationToken)
    {
        var reader = new BoundedLineReader(socket, _options.MaxReplyBytes);
        LineReadStatus status;
        try
        {
            status = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException) when (sendFailure is not null)
        {
            throw new ControlException($"The connection to {_description} failed: {sendFailure.Message}", sendFailure);
        }

        if (status == LineReadStatus.EndOfStream)
        {
            throw sendFailure is null
                ? new ControlException($"The process at {_description} closed the connection without replying.")
                : new ControlException($"The process at {_description} closed the connection without replying.", sendFailure);
        }

        if (status == LineReadStatus.TooLong)
        {
            throw new ControlException($"The reply from {_description} is longer than {_options.MaxReplyBytes} bytes.");
        }

        try
        {
            return ReplyCodec.Decode(reader.Line);
        }
        catch (FormatException ex)
        {
            throw new ControlException($"The reply from {_description} is malformed: {ex.Message}", ex);
        }
    }
}
