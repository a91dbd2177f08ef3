using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Molt.Control;

/// <summary>Binds the control socket's file safely and removes it again, but only if it is still ours.</summary>
internal sealed class UnixSocketFile
{
    // sizeof(sockaddr_un.sun_path) is 108 on Linux, including the terminating NUL.
    private const int MaxPathBytes = 107;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly ulong _inode;

    private UnixSocketFile(string path, Socket listener, ulong inode)
    {
        Path = path;
        Listener = listener;
        _inode = inode;
    }

    public string Path { get; }

    public Socket Listener { get; }

    /// <summary>Vets the directory, clears a stale socket, binds, sets the file's mode and listens.</summary>
    /// <exception cref="InvalidOperationException">The directory is unsafe, the path is taken by a live listener or by a non-socket, or the path is too long.</exception>
    public static async Task<UnixSocketFile> BindAsync(string path, ControlServerOptions options, uint ownerUid, ILogger logger, CancellationToken cancellationToken)
    {
        var (mode, timeProvider) = (options.SocketFileMode, options.TimeProvider);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The control socket is not supported on Windows.");
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new InvalidOperationException($"The control socket path '{path}' is longer than the {MaxPathBytes} bytes a Unix socket address can hold.");
        }

        SecureDirectory.Ensure(System.IO.Path.GetDirectoryName(path)!, ownerUid);
        if (LibC.TryGetStatus(path, followSymlinks: false, out var existing))
        {
            if (!existing.IsSocket)
            {
                throw new InvalidOperationException($"Cannot create the control socket '{path}': a file that is not a socket is in the way.");
            }

            if (await UnixSocketProbe.IsListeningAsync(path, ProbeTimeout, timeProvider, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Cannot create the control socket '{path}': another process is listening on it.");
            }

            File.Delete(path);
            Log.StaleSocketRemoved(logger, path);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, mode);
            listener.Listen(ControlServer.ListenBacklog);
            LibC.TryGetStatus(path, followSymlinks: false, out var bound);
            return new UnixSocketFile(path, WithoutFileDeletion(listener), bound.Inode);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same listening socket under a <see cref="Socket"/> that does not know its path. .NET
    /// deletes the file of a socket it bound when that <see cref="Socket"/> is disposed, whoever
    /// serves it by then; after a hot restart the new process does, so only <see cref="Close"/>
    /// (which checks the inode) may delete it.
    /// </summary>
    private static Socket WithoutFileDeletion(Socket bound)
    {
        var listener = new Socket(new SafeSocketHandle(DescriptorPassing.Duplicate((int)bound.Handle), ownsHandle: true));
        // Close the binding Socket's descriptor without its Dispose, which would delete the file
        // (and without its finalizer, which would do the same later).
#pragma warning disable CA1816 // Deliberate: the finalizer of this Socket is what must not run.
        GC.SuppressFinalize(bound);
#pragma warning restore CA1816
        bound.SafeHandle.Dispose();
        return listener;
    }

    /// <summary>Wraps a listener bound by a previous process of the host (a hot restart handed it over): nothing is bound or vetted again.</summary>
    public static UnixSocketFile Adopt(string path, Socket listener)
    {
        // The inode lets Close delete the file only while it is still this listener's.
        var inode = LibC.TryGetStatus(path, followSymlinks: false, out var status) ? status.Inode : 0;
        return new UnixSocketFile(path, listener, inode);
    }

    /// <summary>Closes the listener and leaves the file: another process serves the same socket, and the path must keep reaching it.</summary>
    public void Release() => Listener.Dispose();

    /// <summary>Closes the listener and deletes the file unless another server has replaced it since.</summary>
    public void Close()
    {
        Listener.Dispose();
        try
        {
            if (LibC.TryGetStatus(Path, followSymlinks: false, out var current) && current.IsSocket && current.Inode == _inode)
            {
                File.Delete(Path);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover file is stale and the next server removes it.
        }
    }
}
