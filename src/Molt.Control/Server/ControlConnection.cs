using System.Net.Sockets;

namespace Molt.Control;

/// <summary>
/// One accepted connection: checks who the peer is, then reads request lines and answers each in
/// order until the peer leaves, idles out, misbehaves, is displaced, or the server stops.
/// </summary>
internal sealed partial class ControlConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly ServerContext _server;
    private readonly bool _isTcp;

    // Cancels reads only (idle timeout, displacement, stop), so a handler already running finishes and is answered.
    private readonly CancellationTokenSource _reads;
    private readonly ITimer _idleTimer;
    private long _lastActivity;
    private volatile bool _busy;
    private volatile bool _idledOut;

    public ControlConnection(Socket socket, ServerContext server, bool isTcp)
    {
        _socket = socket;
        _server = server;
        _isTcp = isTcp;
        _reads = CancellationTokenSource.CreateLinkedTokenSource(server.Stopping);
        _idleTimer = server.TimeProvider.CreateTimer(static state => ((ControlConnection)state!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _lastActivity = server.TimeProvider.GetTimestamp();
    }

    /// <summary>Gets whether a request is being handled now (such a connection is never displaced).</summary>
    public bool IsBusy => _busy;

    /// <summary>Gets the <see cref="TimeProvider"/> timestamp of the last reply or of the connection's start.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Serves the connection to its end; never throws.</summary>
    public async Task RunAsync()
    {
        try
        {
            if (!_isTcp && !IsPeerAllowed())
            {
                await RefuseAsync(ControlReply.Failure(ControlErrorCodes.Forbidden, "Only the process owner and root may use this control socket.")).ConfigureAwait(false);
                return;
            }

            if (!_server.Registry.TryAdd(this, out var displaced))
            {
                Log.Busy(_server.Logger, _server.MaxConnections);
                await RefuseAsync(ControlReply.Failure(ControlErrorCodes.Busy, "Too many control connections are busy; try again.")).ConfigureAwait(false);
                return;
            }

            if (displaced is not null)
            {
                Log.Evicted(_server.Logger, _server.MaxConnections);
                displaced.Displace();
            }

            try
            {
                await ServeAsync().ConfigureAwait(false);
            }
            finally
            {
                _server.Registry.Remove(this);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped or displaced: closing is the whole response.
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Log.ConnectionFailed(_server.Logger, ex);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Closes the connection at its next read, to make room for a newcomer.</summary>
    public void Displace() => CancelReads();

    public void Dispose()
    {
        _idleTimer.Dispose();
        _reads.Dispose();
        _socket.Dispose();
    }

    private bool IsPeerAllowed()
    {
        PeerCredentials peer;
        try
        {
            peer = PeerCredentials.Read(_socket);
        }
        catch (SocketException ex)
        {
            Log.PeerUnknown(_server.Logger, ex);
            return false;
        }

        if (peer.UserId == _server.OwnerUid || peer.UserId == 0)
        {
            return true;
        }

        Log.PeerForbidden(_server.Logger, peer.ProcessId, peer.UserId, _server.OwnerUid);
        return false;
    }

    private void OnIdle()
    {
        _idledOut = true;
        CancelReads();
    }

    private void CancelReads()
    {
        try
        {
            _reads.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }
}
