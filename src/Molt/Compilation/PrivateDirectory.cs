namespace Molt.Compilation;

/// <summary>
/// A per-user cache directory whose content chooses the code the process runs (compiled images,
/// the paths of package assemblies): created 0700, and refused when it is a link or other users
/// can write to it.
/// </summary>
internal static class PrivateDirectory
{
    /// <summary>Creates <paramref name="directory"/> if needed; returns why it cannot be used, or <see langword="null"/>.</summary>
    public static string? Ensure(string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
                return null;
            }

            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var info = new DirectoryInfo(directory);
            return info.LinkTarget is not null ? "it is a symbolic link"
                : (info.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0 ? "other users can write to it (make it 0700)"
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ex.Message;
        }
    }
}
