using System.Net.Sockets;

namespace Molt.Control;

/// <summary>Tells a live control socket from a stale file by trying to connect.</summary>
internal static class UnixSocketProbe
{
    /// <summary>Returns whether something accepts connections on <paramref name="path"/>.</summary>
    /// <remarks>A connect that neither succeeds nor fails in time counts as live: a listener with a full backlog is still a listener.</remarks>
    public static async Task<bool> IsListeningAsync(string path, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException ex) when (IsBacklogFull(ex.SocketErrorCode))
        {
            return true;
        }
        catch (SocketException)
        {
            // Refused, missing, or not ours to open: nothing we could talk to.
            return false;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>The error a Unix connect gives at once when the listener's backlog is full.</summary>
    public static bool IsBacklogFull(SocketError error) =>
        error is SocketError.WouldBlock or SocketError.TryAgain;

    /// <summary>The errors a connect to a socket file with no listener (or no file) gives.</summary>
    public static bool IsNobodyListening(SocketError error) =>
        error is SocketError.ConnectionRefused or SocketError.AddressNotAvailable;
}
