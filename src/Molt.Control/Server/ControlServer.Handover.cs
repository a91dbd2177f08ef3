using System.Net;
using System.Net.Sockets;

namespace Molt.Control;

/// <summary>
/// Hot restart of a channel at a fixed address: the new process adopts the old one's listening
/// sockets (<see cref="ControlServerOptions.Handover"/>) instead of binding, and the old one stops
/// answering on them as soon as the new one serves.
/// </summary>
internal sealed partial class ControlServer
{
    /// <summary>Keeps the listeners at a fixed address for the next hot restart: a per-process socket or a port the system picked is this process's own, and the next process binds its own.</summary>
    private void KeepForHandover()
    {
        if (_options.Handover is not { } handover)
        {
            return;
        }

        var shared = false;
        if (_options.SocketPath is not null)
        {
            handover.Keep(UnixListenerName, _unix!.Listener);
            shared = true;
        }

        if (_tcp is not null && _options.TcpPort != 0)
        {
            handover.Keep(TcpListenerName, _tcp);
            shared = true;
        }

        if (shared)
        {
            handover.OnHandedOver(HandOff);
        }
    }

    /// <summary>
    /// A new process of the host serves the channel's fixed address now: stop answering on it at
    /// once (this process is stopping) instead of at the host's stop, which waits for the drain.
    /// Connections end at their next read; a request being handled (the <c>restart</c> that led
    /// here) finishes and its reply still goes out. The socket file stays: it is the new process's.
    /// </summary>
    private void HandOff()
    {
        _unixHandedOver = _options.SocketPath is not null;
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped and disposed.
            return;
        }

        CloseListeners();
    }

    private void CloseListeners()
    {
        CloseUnix();
        _tcp?.Dispose();
    }

    /// <summary>Closes the Unix listener, deleting its file only while it is this process's: not once handed over, nor while adopted from a previous process that still serves it (a start that fails).</summary>
    private void CloseUnix()
    {
        if (_unixHandedOver || (_unixAdopted && _options.Handover?.IsTakenOver != true))
        {
            _unix?.Release();
        }
        else
        {
            _unix?.Close();
        }
    }

    private UnixSocketFile? AdoptUnix(string path)
    {
        if (_options.SocketPath is null || _options.Handover?.Adopt(UnixListenerName) is not { } adopted)
        {
            return null;
        }

        // The previous process's socket at another path (this build configures a new one) does not serve this one.
        if (adopted.LocalEndPoint is UnixDomainSocketEndPoint bound && string.Equals(bound.ToString(), path, StringComparison.Ordinal))
        {
            _unixAdopted = true;
            return UnixSocketFile.Adopt(path, adopted);
        }

        adopted.Dispose();
        return null;
    }

    private Socket? AdoptTcp(IPEndPoint endPoint)
    {
        if (endPoint.Port == 0 || _options.Handover?.Adopt(TcpListenerName) is not { } adopted)
        {
            return null;
        }

        if (adopted.LocalEndPoint is IPEndPoint bound && bound.Equals(endPoint))
        {
            return adopted;
        }

        adopted.Dispose();
        return null;
    }
}
