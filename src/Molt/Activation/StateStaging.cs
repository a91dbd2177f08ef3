using Molt.Loading;
using Molt.State;

namespace Molt.Activation;

/// <summary>
/// Opens the state transaction of a reload: every persistent value that involves a type of a
/// retiring generation is migrated, staged, into the new generations' types; and turns what the
/// transaction reports into the result's state changes and diagnostics.
/// </summary>
internal static class StateStaging
{
    /// <exception cref="ModuleLoadException">A <c>[StateMigration]</c> method is malformed (MOLT052) or a value cannot be migrated (MOLT050).</exception>
    public static StateMigrationTransaction Begin(StateStore store, IReadOnlyList<Generation> retiring, IReadOnlyList<Generation> fresh)
    {
        var retiringAssemblies = retiring.Select(g => g.Assembly).ToHashSet();
        CustomMigrationSet migrations;
        try
        {
            // The image index's candidates, confirmed by reflection: not every method of every type.
            migrations = CustomMigrationSet.FromMethods(fresh.SelectMany(g => ImageIndex.Methods(g.Assembly, g.Index.StateMigrations)));
        }
        catch (InvalidOperationException ex)
        {
            throw new ModuleLoadException(new ModuleDiagnostic(fresh.Count > 0 ? fresh[0].Module : null, null, 0, 0, MoltDiagnosticIds.BadStateMigration, DiagnosticSeverity.Error, ex.Message));
        }

        var resolver = new NewTypeResolver([.. fresh.Select(g => g.Assembly)], fresh.SelectMany(g => ImageIndex.Types(g.Assembly, g.Index.FormerNames)));
        return store.BeginMigration(t => retiringAssemblies.Contains(t.Assembly), resolver.Resolve, migrations);
    }

    /// <exception cref="ModuleLoadException">Some value failed to migrate (MOLT050).</exception>
    public static void ThrowIfFailed(StateMigrationReport report, IReadOnlyList<Generation> fresh)
    {
        var failures = report.Failures.ToArray();
        if (failures.Length == 0)
        {
            return;
        }

        var first = failures[0];
        var module = first.Scope == StateStore.SharedScope ? (fresh.Count > 0 ? fresh[0].Module : null) : first.Scope;
        var advice = failures.Any(f => f.Reason?.Contains("custom migration", StringComparison.Ordinal) == true)
            ? "Fix the [StateMigration] method that threw, or drop the value (context.DropState)."
            : "Add a [StateMigration] method for the type, mark a renamed type or member [FormerName], give the value MigrationFailurePolicy.Reset, or drop it (context.DropState).";
        throw new ModuleLoadException(new ModuleDiagnostic(module, first.File, first.Line, 0, MoltDiagnosticIds.StateNotMigrated, DiagnosticSeverity.Error,
            "Persistent state cannot be migrated: " + string.Join("; ", failures.Select(f => Describe(f).TrimEnd('.'))) + ". " + advice))
        {
            StateReport = report,
        };
    }

    // The reason starts with the path from the value's name ("box.Items[2]: …"): say the name once.
    private static string Describe(SlotMigrationResult failure) =>
        failure.Reason is { } reason && reason.StartsWith(failure.Name, StringComparison.Ordinal) && reason.Length > failure.Name.Length && reason[failure.Name.Length] is ':' or '.' or '['
            ? $"{failure.Scope}/{reason}"
            : $"{failure.Scope}/{failure.Name}: {failure.Reason}";

    /// <summary>The result's view of what the transaction did to each value; resets and lost members become diagnostics.</summary>
    public static List<StateChange> Report(StateMigrationReport report, List<ModuleDiagnostic> diagnostics)
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
                SlotMigrationOutcome.Dropped => StateChangeKind.Dropped,
                _ => StateChangeKind.Failed,
            };
            var removed = slot.RemovedMembers.Select(m => $"{m.TypeName}.{m.MemberName}").ToArray();
            changes.Add(new StateChange(slot.Scope, slot.Name, kind, slot.Reason, removed));
            if (kind == StateChangeKind.Reset)
            {
                diagnostics.Add(new ModuleDiagnostic(slot.Scope, null, 0, 0, MoltDiagnosticIds.StateReset, DiagnosticSeverity.Warning,
                    $"Persistent value '{slot.Name}' was reset to its initial value (MigrationFailurePolicy.Reset): {slot.Reason}"));
            }

            if (slot.WasDropped)
            {
                diagnostics.Add(new ModuleDiagnostic(slot.Scope, null, 0, 0, MoltDiagnosticIds.StateDropped, DiagnosticSeverity.Warning,
                    $"Persistent value '{slot.Name}' was dropped: {slot.Reason}"));
            }

            if (removed.Length > 0)
            {
                // Data loss: a warning, so hosts that print warnings show it (a renamed member keeps its value with [FormerName]).
                diagnostics.Add(new ModuleDiagnostic(slot.Scope, null, 0, 0, MoltDiagnosticIds.StateMembersRemoved, DiagnosticSeverity.Warning,
                    $"Persistent value '{slot.Name}' lost members the new types no longer have, with their values: {string.Join(", ", removed)}. If a member was renamed, mark the new one [FormerName(\"old name\")]."));
            }
        }

        return changes;
    }
}
