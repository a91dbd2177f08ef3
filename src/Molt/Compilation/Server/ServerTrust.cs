using System.Globalization;
using Molt.Interop;

namespace Molt.Compilation.Server;

/// <summary>
/// Who the compile server may be: a process of the same user, behind a socket in a directory only
/// that user can write to. A server of another user could hand back any code, so its answers are
/// never read; the check refuses before anything is sent.
/// </summary>
internal static class ServerTrust
{
    private const uint TypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;
    private const uint GroupOrWorldWritable = 0x12;

    /// <summary>Creates the socket directory with mode 0700 when absent, then vets it.</summary>
    /// <exception cref="InvalidOperationException">The directory is unsafe to use.</exception>
    public static void EnsureDirectory(string path, uint ownerUid)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The compile server's Unix socket is not supported on Windows.");
        }

        if (!UnixInterop.TryGetOwnerAndMode(path, out _, out _))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Checked after creating too: someone may have raced us to the name.
        if (!UnixInterop.TryGetOwnerAndMode(path, out var uid, out var mode))
        {
            throw new InvalidOperationException($"The compile server's directory '{path}' does not exist.");
        }

        CheckDirectory(path, uid, mode, ownerUid);
    }

    /// <summary>Refuses a directory that is not a real directory, is another user's, or that others may write to.</summary>
    /// <exception cref="InvalidOperationException">The directory is unsafe to use.</exception>
    public static void CheckDirectory(string path, uint uid, uint mode, uint ownerUid)
    {
        if ((mode & TypeMask) != DirectoryType)
        {
            throw new InvalidOperationException($"The compile server's directory '{path}' is not a directory (or is a symbolic link).");
        }

        if (uid != ownerUid)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The compile server's directory '{path}' is owned by uid {uid}, not by the current user (uid {ownerUid})."));
        }

        if ((mode & GroupOrWorldWritable) != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The compile server's directory '{path}' is writable by group or others (mode {Convert.ToString(mode & 0xFFF, 8)})."));
        }
    }

    /// <summary>Refuses a peer (server or client) that runs as another user.</summary>
    /// <exception cref="UnauthorizedAccessException">The peer's uid is not <paramref name="ownUid"/>.</exception>
    public static void CheckPeer(uint peerUid, uint ownUid)
    {
        if (peerUid != ownUid)
        {
            throw new UnauthorizedAccessException(string.Create(CultureInfo.InvariantCulture, $"The process at the other end of the compile server's socket runs as uid {peerUid}, not as the current user (uid {ownUid}): refused."));
        }
    }
}
