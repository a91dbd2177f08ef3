using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Molt.Control;

/// <summary>
/// Removes the control sockets (and hot-restart hand-over sockets) that processes killed without a
/// chance to clean up (<c>SIGKILL</c>, a crash, a power cut) left in a directory of <c>&lt;pid&gt;.sock</c> files. Each file is otherwise
/// removed only when a process with the same pid starts again, so without this they pile up for good.
/// </summary>
/// <remarks>
/// A file goes only when all of these hold, checked in this order: its name is <c>&lt;pid&gt;.sock</c> or <c>&lt;pid&gt;.handover.sock</c>
/// for a pid that is not ours and not alive; it is a socket owned by this user; a connect to it is
/// refused (nothing listens: a hot-restarted host's successor serves its predecessor's file, and a
/// process in another pid namespace may look dead from here); and, just before the delete, the pid
/// is still not alive and the file is still the same inode.
/// </remarks>
internal static class StaleSocketSweep
{
    /// <summary>Sweeps the directory of <paramref name="ownPath"/> when that file is named after this process (<c>&lt;pid&gt;.sock</c>).</summary>
    /// <returns>The paths removed.</returns>
    public static IReadOnlyList<string> Run(string ownPath, uint ownerUid, ILogger logger)
    {
        var directory = Path.GetDirectoryName(ownPath);
        if (directory is null
            || !ControlSocketPaths.TryParseProcessId(Path.GetFileName(ownPath), out var ownPid)
            || ownPid != Environment.ProcessId)
        {
            return []; // a path the host chose: its directory may hold anything
        }

        var removed = new List<string>();
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, "*.sock");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return removed; // best effort: the next start tries again
        }

        foreach (var path in candidates)
        {
            try
            {
                if (TryRemove(path, ownerUid))
                {
                    removed.Add(path);
                    Log.StaleSocketRemoved(logger, path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // This one vanished or could not be removed; the others are still looked at.
            }
        }

        return removed;
    }

    private static bool TryRemove(string path, uint ownerUid)
    {
        if (!TryParseOwner(Path.GetFileName(path), out var pid)
            || pid == Environment.ProcessId
            || LibC.IsProcessAlive(pid)
            || !LibC.TryGetStatus(path, followSymlinks: false, out var status)
            || !status.IsSocket
            || status.Uid != ownerUid
            || !NobodyListens(path))
        {
            return false;
        }

        if (LibC.IsProcessAlive(pid)
            || !LibC.TryGetStatus(path, followSymlinks: false, out var now)
            || now.Inode != status.Inode)
        {
            return false; // the pid came back and bound its own socket meanwhile
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Parses <c>&lt;pid&gt;.sock</c> (a control socket) and <c>&lt;pid&gt;.handover.sock</c> (a hot restart's, left when it was killed mid-hand-over).</summary>
    private static bool TryParseOwner(string fileName, out int processId)
    {
        const string Handover = ".handover.sock";
        return fileName.EndsWith(Handover, StringComparison.Ordinal)
            ? ControlSocketPaths.TryParseProcessId(string.Concat(fileName.AsSpan(0, fileName.Length - Handover.Length), ".sock"), out processId)
            : ControlSocketPaths.TryParseProcessId(fileName, out processId);
    }

    /// <summary>A Unix connect to a file with no listener fails at once; anything else (accepted, backlog full, no permission) keeps the file.</summary>
    private static bool NobodyListens(string path)
    {
        // The timeout bounds a connect that waits on a live listener's full backlog.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { SendTimeout = 1000 };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return false;
        }
        catch (SocketException ex)
        {
            return UnixSocketProbe.IsNobodyListening(ex.SocketErrorCode);
        }
    }
}
