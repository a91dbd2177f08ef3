using Molt.Reloading;
using Molt.Loading;
using Molt.State;

namespace Molt;

public sealed partial class MoltEngine
{
    /// <summary>
    /// Writes every persistent value to <see cref="MoltOptions.StateSnapshotPath"/> (atomically: a
    /// temporary file, flushed, then renamed), waiting for a running reload to finish first.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for a running reload.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="InvalidOperationException">No snapshot path is configured.</exception>
    /// <exception cref="IOException">The file could not be written; the previous snapshot, if any, is intact.</exception>
    public Task<StateSnapshotInfo> SaveStateSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var path = _options.StateSnapshotPath ?? throw new InvalidOperationException("No state snapshot path is configured (MoltOptions.StateSnapshotPath).");
        return Detached.From(SaveUnderGateAsync(path, cancellationToken));
    }

    private async Task<StateSnapshotInfo> SaveUnderGateAsync(string path, CancellationToken cancellationToken)
    {        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return WriteSnapshot(path);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private StateSnapshotInfo WriteSnapshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var written = _stateAccess.Store.WriteSnapshot(path);
        Log.SnapshotWritten(_logger, path, written.Written);
        return new StateSnapshotInfo(Path.GetFullPath(path), written.Written, written.Skipped);
    }

    /// <summary>Restores the snapshot, if configured and present; a bad one is reported and the state starts empty.</summary>
    private List<ModuleDiagnostic> RestoreSnapshot()
    {
        if (_options.StateSnapshotPath is not { } path)
        {
            return [];
        }

        var restored = _stateAccess.Store.RestoreSnapshot(path);
        if (restored.Error is { } error)
        {
            Log.SnapshotUnreadable(_logger, path, error.Message);
            return [new ModuleDiagnostic(null, error.FilePath, 0, 0, MoltDiagnosticIds.SnapshotUnreadable, DiagnosticSeverity.Warning,
                $"The state snapshot could not be read ({error.Location}: {error.Reason}); starting with initial values.")];
        }

        if (restored.FileFound)
        {
            Log.SnapshotRestored(_logger, path, restored.Restored);
        }

        return [];
    }
}
