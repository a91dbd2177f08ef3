using System.Globalization;

namespace Molt.Control;

/// <summary>
/// Creates or vets the directory a control socket lives in. A directory in a shared place such as
/// /tmp may have been planted by another user, so it is trusted only when it is a real directory
/// (not a symlink), owned by us, and writable by nobody else.
/// </summary>
internal static class SecureDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> with mode 0700 when absent, then checks it.</summary>
    /// <exception cref="InvalidOperationException">The directory is unsafe to use.</exception>
    public static void Ensure(string path, uint ownerUid)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix socket directories are not supported on Windows.");
        }

        if (!LibC.TryGetStatus(path, followSymlinks: false, out _))
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }

        // Checked after creating too: someone may have raced us to the name.
        Check(path, ownerUid);
    }

    /// <summary>Checks an existing directory.</summary>
    /// <exception cref="InvalidOperationException">The directory is missing or unsafe to use.</exception>
    public static void Check(string path, uint ownerUid)
    {
        if (!LibC.TryGetStatus(path, followSymlinks: false, out var status))
        {
            throw Refuse(path, "it does not exist");
        }

        if (status.IsSymbolicLink)
        {
            throw Refuse(path, "it is a symbolic link");
        }

        if (!status.IsDirectory)
        {
            throw Refuse(path, "it is not a directory");
        }

        if (status.Uid != ownerUid)
        {
            throw Refuse(path, string.Create(CultureInfo.InvariantCulture, $"it is owned by uid {status.Uid}, not by the current user (uid {ownerUid})"));
        }

        if (status.IsGroupOrWorldWritable)
        {
            throw Refuse(path, string.Create(CultureInfo.InvariantCulture, $"it is writable by group or others (mode {Convert.ToString(status.Permissions, 8)})"));
        }
    }

    private static InvalidOperationException Refuse(string path, string reason) =>
        new($"Refusing to use '{path}' as the Molt control socket directory: {reason}.");
}
