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
    public async Task<StateSnapshotInfo> SaveStateSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var path = _options.StateSnapshotPath ?? throw new InvalidOperationException("No state snapshot path is configured (MoltOptions.StateSnapshotPath).");
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            return [new ModuleDiagnostic(null, error.FilePath, 0, 0, "MOLT060", DiagnosticSeverity.Warning,
                $"The state snapshot could not be read ({error.Location}: {error.Reason}); starting with initial values.")];
        }

        if (restored.FileFound)
        {
            Log.SnapshotRestored(_logger, path, restored.Restored);
        }

        return [];
    }

    private StateMigrationTransaction BeginStateMigration(IReadOnlyList<Generation> retiring, List<Generation> fresh)
    {
        var retiringAssemblies = retiring.Select(g => g.Assembly).Where(a => a is not null).ToHashSet();
        CustomMigrationSet migrations;
        try
        {
            migrations = CustomMigrationSet.Discover(fresh.Select(g => g.Assembly!));
        }
        catch (InvalidOperationException ex)
        {
            throw new ModuleLoadException(new ModuleDiagnostic((fresh.Count > 0 ? fresh[0].Module : null), null, 0, 0, "MOLT052", DiagnosticSeverity.Error, ex.Message));
        }

        // A type of the new generation is found by its full name, in load order (dependencies first).
        Type? Resolve(string fullName)
        {
            foreach (var generation in fresh)
            {
                if (generation.Assembly!.GetType(fullName, throwOnError: false) is { } type)
                {
                    return type;
                }
            }

            return null;
        }

        return _stateAccess.Store.BeginMigration(t => retiringAssemblies.Contains(t.Assembly), Resolve, migrations);
    }

    private static void ThrowIfStateFailed(StateMigrationReport report, List<Generation> fresh)
    {
        var failures = report.Failures.ToArray();
        if (failures.Length == 0)
        {
            return;
        }

        var module = failures[0].Scope == StateStore.SharedScope ? (fresh.Count > 0 ? fresh[0].Module : null) : failures[0].Scope;
        throw new ModuleLoadException(new ModuleDiagnostic(module, null, 0, 0, "MOLT050", DiagnosticSeverity.Error,
            "Persistent state cannot be migrated: " + string.Join("; ", failures.Select(f => $"{f.Scope}/{f.Name}: {f.Reason}")) +
            ". Add a [StateMigration] method for the type, or give the value MigrationFailurePolicy.Reset."));
    }

    private static List<StateChange> Report(StateMigrationReport report, List<ModuleDiagnostic> diagnostics)
    {
        var changes = new List<StateChange>(report.Slots.Count);
        foreach (var slot in report.Slots)
        {
            var kind = slot.Outcome switch
            {
                SlotMigrationOutcome.CarriedOver => StateChangeKind.CarriedOver,
                SlotMigrationOutcome.Migrated => StateChangeKind.Migrated,
                SlotMigrationOutcome.Initialized => StateChangeKind.Initialized,
                SlotMigrationOutcome.Reset => StateChangeKind.Reset,
                _ => StateChangeKind.Failed,
            };
            var removed = slot.RemovedMembers.Select(m => $"{m.TypeName}.{m.MemberName}").ToArray();
            changes.Add(new StateChange(slot.Scope, slot.Name, kind, slot.Reason, removed));
            if (kind == StateChangeKind.Reset)
            {
                diagnostics.Add(new ModuleDiagnostic(slot.Scope, null, 0, 0, "MOLT051", DiagnosticSeverity.Warning,
                    $"Persistent value '{slot.Name}' was reset to its initial value (MigrationFailurePolicy.Reset): {slot.Reason}"));
            }

            if (removed.Length > 0)
            {
                diagnostics.Add(new ModuleDiagnostic(slot.Scope, null, 0, 0, "MOLT053", DiagnosticSeverity.Info,
                    $"Persistent value '{slot.Name}' lost members the new types no longer have: {string.Join(", ", removed)}."));
            }
        }

        return changes;
    }
}
