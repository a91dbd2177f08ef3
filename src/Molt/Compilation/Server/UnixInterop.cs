using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Molt.Compilation.Server;

/// <summary>
/// The few libc calls the compile server's socket needs and .NET has no managed API for: the
/// effective uid, a path's owner and mode, and the uid of the process at the other end of a Unix
/// socket. (The control channel has its own copy in Molt.Control, which the engine does not reference.)
/// </summary>
internal static partial class UnixInterop
{
    private const int ENOENT = 2;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeModeUid = 0x1 | 0x2 | 0x8;
    private const int StatxSize = 256;
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static uint EffectiveUserId => geteuid();

    /// <summary>Reads a path's mode and owner without following a final symlink; <see langword="false"/> when it does not exist.</summary>
    /// <exception cref="IOException">statx failed for another reason.</exception>
    public static unsafe bool TryGetOwnerAndMode(string path, out uint uid, out uint mode)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxTypeModeUid, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            (uid, mode) = (0, 0);
            return errno == ENOENT
                ? false
                : throw new IOException($"Cannot read the status of '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        // Offsets of stx_uid and stx_mode in struct statx (the same on every Linux architecture).
        uid = *(uint*)(buffer + 20);
        mode = *(ushort*)(buffer + 28);
        return true;
    }

    /// <summary>The uid of the process at the other end of a connected Unix socket, as the kernel vouches (<c>SO_PEERCRED</c>).</summary>
    /// <exception cref="SocketException">The option cannot be read.</exception>
    public static uint PeerUserId(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer);
        return length < buffer.Length
            ? throw new SocketException((int)SocketError.ProtocolOption)
            : MemoryMarshal.Read<uint>(buffer[4..]); // struct ucred { int pid; uid_t uid; gid_t gid; }
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);
}
