using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Molt.Interop;

/// <summary>
/// The few libc calls the engine needs and .NET has no managed API for: for the compile server's
/// socket, the effective uid, a path's owner and mode, and the uid of the process at the other end
/// of a Unix socket; for the module scan, a file's identity and change times and its file system's
/// type. (The control channel has its own copy in Molt.Control, which the engine does not reference.)
/// </summary>
internal static partial class UnixInterop
{
    private const int ENOENT = 2;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeModeUid = 0x1 | 0x2 | 0x8;
    private const uint StatxChange = 0x40 | 0x80 | 0x100 | 0x200; // STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE
    private const int StatxSize = 256;
    private const int StatfsSize = 256; // struct statfs is 120 bytes on 64-bit Linux
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

    /// <summary>
    /// Reads what changes when a file is written, replaced or touched (following a final symlink):
    /// its device and inode, size, write time and change time; <see langword="null"/> when it cannot
    /// be read (missing, not Linux, a libc without <c>statx</c>).
    /// </summary>
    public static unsafe FileChangeStamp? TryGetChangeStamp(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = stackalloc byte[StatxSize];
        try
        {
            if (statx(AtFdCwd, path, 0, StatxChange, buffer) != 0 || (*(uint*)buffer & StatxChange) != StatxChange)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        // Offsets in struct statx: stx_ino 32, stx_size 40, stx_ctime 96, stx_mtime 112, stx_dev_major 136, stx_dev_minor 140.
        return new FileChangeStamp(
            Device: ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140),
            Inode: *(ulong*)(buffer + 32),
            Size: *(long*)(buffer + 40),
            ModifiedNs: Nanoseconds(buffer + 112),
            ChangedNs: Nanoseconds(buffer + 96));
    }

    /// <summary>The type of the file system <paramref name="path"/> is on (<c>statfs</c>'s <c>f_type</c>); <see langword="null"/> when it cannot be read.</summary>
    public static unsafe long? TryGetFileSystemType(string path)
    {
        // f_type is the first field of struct statfs, a long on 64-bit Linux (x64 and arm64 alike).
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        var buffer = stackalloc byte[StatfsSize];
        return statfs(path, buffer) == 0 ? *(long*)buffer : null;
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

    private static unsafe long Nanoseconds(byte* timestamp) => (*(long*)timestamp * 1_000_000_000L) + *(uint*)(timestamp + 8);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statfs(string path, byte* buf);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);
}
