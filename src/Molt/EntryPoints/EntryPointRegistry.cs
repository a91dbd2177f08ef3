using Molt.Loading;

namespace Molt.EntryPoints;

/// <summary>
/// Every entry point handle the host created, and the table they read. A reload resolves all of
/// them against its new generations before the switch (<see cref="ResolveAll"/>); the switch
/// publishes the result with one write.
/// </summary>
internal sealed class EntryPointRegistry
{
    private readonly List<EntrySpec> _specs = [];
    private readonly Lock _gate = new();

    public EntryTable Table { get; } = new();

    /// <summary>Adds a handle, resolved against the generation serving its module now (or <see langword="null"/>).</summary>
    /// <returns>The handle's index in the table.</returns>
    /// <exception cref="MoltEntryPointException">No target and no fallback.</exception>
    public int Register(EntrySpec spec, Generation? serving)
    {
        lock (_gate)
        {
            var (target, error) = serving is null ? (null, $"module '{spec.Module}' is not loaded") : EntryResolver.Resolve(spec, serving);
            var owner = target is null ? null : serving;
            target ??= spec.Fallback ?? throw new MoltEntryPointException($"Cannot create the {spec.Describe()}: {error}.");
            var snapshot = Table.Snapshot;
            _specs.Add(spec);
            Table.Publish(new EntrySnapshot([.. snapshot.Targets, target], [.. snapshot.Owners, owner]));
            return _specs.Count - 1;
        }
    }

    /// <summary>
    /// Resolves every handle of a module the reload loads or removes against the new generations,
    /// without publishing anything.
    /// </summary>
    /// <returns>The table to publish at the switch.</returns>
    /// <exception cref="ModuleLoadException">A handle in use would lose its target and has no fallback (MOLT030).</exception>
    public EntrySnapshot ResolveAll(IReadOnlyList<Generation> fresh, IReadOnlyCollection<string> removed, List<ModuleDiagnostic> diagnostics)
    {
        lock (_gate)
        {
            var current = Table.Snapshot;
            var targets = (object[])current.Targets.Clone();
            var owners = (Generation?[])current.Owners.Clone();
            var errors = new List<string>();
            for (var i = 0; i < _specs.Count; i++)
            {
                var spec = _specs[i];
                var generation = fresh.FirstOrDefault(g => g.Module == spec.Module);
                if (generation is null && !removed.Contains(spec.Module))
                {
                    continue;
                }

                var (target, error) = generation is null ? (null, $"module '{spec.Module}' was removed") : EntryResolver.Resolve(spec, generation);
                if (target is not null)
                {
                    Prepare(spec, target, generation!);
                    (targets[i], owners[i]) = (target, generation);
                }
                else if (spec.Fallback is { } fallback)
                {
                    (targets[i], owners[i]) = (fallback, null);
                    diagnostics.Add(new ModuleDiagnostic(spec.Module, null, 0, 0, MoltDiagnosticIds.EntryPointFellBack, DiagnosticSeverity.Warning,
                        $"The {spec.Describe()} now uses its fallback: {error}."));
                }
                else
                {
                    errors.Add($"the {spec.Describe()} is in use but {error}");
                }
            }

            if (errors.Count > 0)
            {
                throw new ModuleLoadException(new ModuleDiagnostic(fresh.Count > 0 ? fresh[0].Module : null, null, 0, 0, MoltDiagnosticIds.EntryPointLost, DiagnosticSeverity.Error,
                    string.Join("; ", errors) + ". Keep the export (or give the entry point a fallback)."));
            }

            return new EntrySnapshot(targets, owners);
        }
    }

    /// <summary>Runs the host's preparers on a new target; the first that throws fails the reload with where it threw.</summary>
    private static void Prepare(EntrySpec spec, object target, Generation generation)
    {
        if (spec.Preparers.Run(target) is { } failure)
        {
            throw new ModuleLoadException(HookFailure.FromException(failure)
                .ToDiagnostic(generation.Build, $"host's preparer of the {spec.Describe()}", MoltDiagnosticIds.EntryPointPreparationFailed));
        }
    }
}
