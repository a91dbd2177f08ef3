using System.Net.Sockets;

namespace Molt.CompileServer;

/// <summary>The server's listening socket file: bound 0600, removed at the end only if it is still this server's.</summary>
internal sealed class SocketFile : IDisposable
{
    private readonly string _path;
    private readonly DateTime _created;

    private SocketFile(string path, Socket socket)
    {
        (_path, Socket) = (path, socket);
        _created = File.GetLastWriteTimeUtc(path);
    }

    public Socket Socket { get; }

    /// <summary>Binds the socket; <see langword="null"/> when another server already listens there.</summary>
    public static async Task<SocketFile?> BindAsync(string path)
    {
        if (File.Exists(path))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                File.Delete(path); // stale: its server is gone
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(64);
            return new SocketFile(path, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        try
        {
            // A later server may have replaced the file since (after this one was thought gone).
            if (File.Exists(_path) && File.GetLastWriteTimeUtc(_path) == _created)
            {
                File.Delete(_path);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover file is stale and the next server removes it.
        }
    }
}
