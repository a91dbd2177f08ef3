using System.Runtime.InteropServices;

namespace Molt.Control;

/// <summary>The few libc calls .NET has no managed API for: the effective uid, process liveness and file ownership.</summary>
internal static partial class LibC
{
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const uint StatxIno = 0x100;

    /// <summary>
    /// The size of <c>struct statx</c>, whose layout (unlike <c>struct stat</c>) is the same on
    /// every Linux architecture, which is why it is used here.
    /// </summary>
    private const int StatxSize = 256;

    public static uint GetEffectiveUserId() => geteuid();

    /// <summary>Returns whether a process with this id exists (including one owned by another user).</summary>
    public static bool IsProcessAlive(int processId)
    {
        if (processId <= 0)
        {
            return false;
        }

        // Signal 0 checks existence and permission without delivering anything.
        return kill(processId, 0) == 0 || Marshal.GetLastPInvokeError() == EPERM;
    }

    /// <summary>Reads a file's type, mode, owner and inode; <see langword="false"/> when it does not exist.</summary>
    /// <exception cref="IOException">statx failed for another reason.</exception>
    public static unsafe bool TryGetStatus(string path, bool followSymlinks, out FileStatus status)
    {
        var buffer = stackalloc byte[StatxSize];
        var flags = followSymlinks ? 0 : AtSymlinkNoFollow;
        if (statx(AtFdCwd, path, flags, StatxType | StatxMode | StatxUid | StatxIno, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ENOENT)
            {
                status = default;
                return false;
            }

            throw new IOException($"Cannot read the status of '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        // Offsets of stx_uid, stx_mode and stx_ino in struct statx.
        status = new FileStatus(
            Mode: *(ushort*)(buffer + 28),
            Uid: *(uint*)(buffer + 20),
            Inode: *(ulong*)(buffer + 32));
        return true;
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);
}
