using System.Globalization;

namespace Molt.Control;

/// <summary>
/// Where control sockets live by default: one socket per process, named <c>&lt;pid&gt;.sock</c>, in
/// <c>$XDG_RUNTIME_DIR/molt</c> when <c>XDG_RUNTIME_DIR</c> is usable, otherwise in
/// <c>/tmp/molt-&lt;uid&gt;</c> (uid = the effective user id).
/// </summary>
/// <remarks>
/// <c>XDG_RUNTIME_DIR</c> is usable when it is an absolute path to an existing directory owned by
/// the current user and not writable by group or others. Either directory is created with mode
/// 0700, and an existing one is refused when it is a symlink, owned by another user, or writable
/// by group or others.
/// </remarks>
public static class ControlSocketPaths
{
    private const string FallbackRoot = "/tmp";

    /// <summary>Gets the default directory of the current user's control sockets (it may not exist yet).</summary>
    /// <returns>The directory's path.</returns>
    public static string GetDefaultDirectory() =>
        ResolveDefaultDirectory(Environment.GetEnvironmentVariable, LibC.GetEffectiveUserId(), FallbackRoot);

    /// <summary>Gets the default socket path of a process.</summary>
    /// <param name="processId">The process id.</param>
    /// <returns><c>&lt;default directory&gt;/&lt;pid&gt;.sock</c>.</returns>
    public static string GetDefaultSocketPath(int processId) =>
        Path.Combine(GetDefaultDirectory(), SocketFileName(processId));

    internal static string SocketFileName(int processId) =>
        string.Create(CultureInfo.InvariantCulture, $"{processId}.sock");

    /// <summary>Parses <c>&lt;pid&gt;.sock</c>; <see langword="false"/> for any other name.</summary>
    internal static bool TryParseProcessId(string fileName, out int processId)
    {
        processId = 0;
        return fileName.EndsWith(".sock", StringComparison.Ordinal)
            && int.TryParse(fileName.AsSpan(0, fileName.Length - ".sock".Length), NumberStyles.None, CultureInfo.InvariantCulture, out processId)
            && processId > 0;
    }

    internal static string ResolveDefaultDirectory(Func<string, string?> environment, uint uid, string fallbackRoot)
    {
        var runtimeDirectory = environment("XDG_RUNTIME_DIR");
        if (IsUsableRuntimeDirectory(runtimeDirectory, uid))
        {
            return Path.Combine(runtimeDirectory, "molt");
        }

        return Path.Combine(fallbackRoot, string.Create(CultureInfo.InvariantCulture, $"molt-{uid}"));
    }

    private static bool IsUsableRuntimeDirectory([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? path, uint uid)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path))
        {
            return false;
        }

        try
        {
            // Followed: a runtime directory reached through a symlink is still the user's own if its target is.
            return LibC.TryGetStatus(path, followSymlinks: true, out var status)
                && status.IsDirectory
                && status.Uid == uid
                && !status.IsGroupOrWorldWritable;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
