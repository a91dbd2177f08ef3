using System.Globalization;

namespace Molt.Control;

/// <summary>Finds the current user's running Molt processes through their control sockets in the default directory (see <see cref="ControlSocketPaths"/>).</summary>
public static class ControlSocketDiscovery
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Lists the live control sockets: the process named by the file exists and the socket accepts a connection. Stale files are skipped.</summary>
    /// <param name="cancellationToken">Abandons the search.</param>
    /// <returns>The live sockets, ordered by process id; empty when none.</returns>
    /// <exception cref="InvalidOperationException">The directory exists but is unsafe (a symlink, another user's, or writable by others), so its sockets cannot be trusted.</exception>
    public static Task<IReadOnlyList<ControlSocketInfo>> FindLiveAsync(CancellationToken cancellationToken = default) =>
        FindLiveAsync(ControlSocketPaths.GetDefaultDirectory(), cancellationToken);

    /// <summary>Finds the one running Molt process, as <c>molt reload</c> without a target needs.</summary>
    /// <param name="cancellationToken">Abandons the search.</param>
    /// <returns>The single live socket.</returns>
    /// <exception cref="ControlDiscoveryException">None or several are running; <see cref="ControlDiscoveryException.Candidates"/> lists them.</exception>
    /// <exception cref="InvalidOperationException">The directory is unsafe.</exception>
    public static Task<ControlSocketInfo> FindSingleAsync(CancellationToken cancellationToken = default) =>
        FindSingleAsync(ControlSocketPaths.GetDefaultDirectory(), cancellationToken);

    internal static async Task<ControlSocketInfo> FindSingleAsync(string directory, CancellationToken cancellationToken)
    {
        var live = await FindLiveAsync(directory, cancellationToken).ConfigureAwait(false);
        return live.Count switch
        {
            1 => live[0],
            0 => throw new ControlDiscoveryException($"No running Molt process of this user was found (no live control socket in '{directory}').", live),
            _ => throw new ControlDiscoveryException(
                string.Create(CultureInfo.InvariantCulture, $"{live.Count} Molt processes are running (pids {string.Join(", ", live.Select(s => s.ProcessId))}); choose one."),
                live),
        };
    }

    internal static async Task<IReadOnlyList<ControlSocketInfo>> FindLiveAsync(string directory, CancellationToken cancellationToken)
    {
        if (!LibC.TryGetStatus(directory, followSymlinks: false, out _))
        {
            return [];
        }

        // Anyone could have planted sockets in a directory they can write to, so trust only our own.
        SecureDirectory.Check(directory, LibC.GetEffectiveUserId());
        var live = new List<ControlSocketInfo>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sock"))
        {
            if (!ControlSocketPaths.TryParseProcessId(Path.GetFileName(path), out var processId)
                || !LibC.IsProcessAlive(processId)
                || !LibC.TryGetStatus(path, followSymlinks: false, out var status)
                || !status.IsSocket)
            {
                continue;
            }

            if (await UnixSocketProbe.IsListeningAsync(path, ProbeTimeout, TimeProvider.System, cancellationToken).ConfigureAwait(false))
            {
                live.Add(new ControlSocketInfo(processId, path));
            }
        }

        live.Sort((a, b) => a.ProcessId.CompareTo(b.ProcessId));
        return live;
    }
}
