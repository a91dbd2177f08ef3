using System.Collections.Immutable;

namespace Molt.Reloading;

/// <summary>Says, for the result, what a reload does to each module and which of its files changed.</summary>
internal static class ChangeDescriber
{
    public static ImmutableArray<ModuleChange> Describe(ChangeSet scan, ImmutableArray<string> ordered, LiveModules modules)
    {
        var changes = ImmutableArray.CreateBuilder<ModuleChange>(ordered.Length + scan.Removed.Length);
        foreach (var module in ordered)
        {
            var source = scan.Present[module];
            if (!scan.Live.TryGetValue(module, out var previous))
            {
                changes.Add(new ModuleChange(module, ModuleChangeKind.Added, modules.NextNumber(module), [.. source.FilePaths]));
            }
            else if (!scan.Changed.Contains(module))
            {
                changes.Add(new ModuleChange(module, ModuleChangeKind.Dependent, modules.NextNumber(module), []));
            }
            else
            {
                var before = previous.Source.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
                var files = source.Files
                    .Where(f => !before.TryGetValue(f.Path, out var old) || !old.AsSpan().SequenceEqual(f.Content))
                    .Select(f => f.Path)
                    .Concat(before.Keys.Where(p => !source.Files.Any(f => f.Path == p)))
                    .ToArray();
                changes.Add(new ModuleChange(module, ModuleChangeKind.Changed, modules.NextNumber(module), files));
            }
        }

        changes.AddRange(scan.Removed.Select(m => new ModuleChange(m, ModuleChangeKind.Removed, scan.Live[m].Number, [.. scan.Live[m].Source.FilePaths])));
        return changes.ToImmutable();
    }
}
