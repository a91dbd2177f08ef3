using System.Collections.Immutable;
using Molt.Loading;
using Molt.Modules;

namespace Molt.Reloading;

/// <summary>What a scan found, against what serves: the modules present, which changed and which went away.</summary>
/// <param name="Live">The generations serving when the scan ran.</param>
/// <param name="Present">Every module found on disk, by name.</param>
/// <param name="Changed">Modules that are new or whose content hash changed.</param>
/// <param name="Removed">Serving modules no longer on disk, in name order.</param>
/// <param name="Diagnostics">What went wrong reading them.</param>
internal sealed record ChangeSet(
    ImmutableDictionary<string, Generation> Live,
    IReadOnlyDictionary<string, ModuleSource> Present,
    IReadOnlySet<string> Changed,
    ImmutableArray<string> Removed,
    ImmutableArray<ModuleDiagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the modules could not all be read.</summary>
    public bool Failed => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Gets a value indicating whether nothing changed.</summary>
    public bool IsEmpty => Changed.Count == 0 && Removed.IsEmpty;

    /// <summary>
    /// Gets when every file read before it had been quiet for the quiet period will have been;
    /// <see langword="null"/> when every file was quiet when read (see <see cref="StillCurrent"/>).
    /// </summary>
    public DateTime? QuietAt => Present.Values.SelectMany(s => s.Files).Select(f => f.QuietAt).Max();

    /// <summary>Returns whether every file read before it was quiet is still the file that was read.</summary>
    public bool StillCurrent() => Present.Values.SelectMany(s => s.Files).Where(f => f.QuietAt is not null).All(f => f.IsCurrent);

    /// <summary>
    /// Gets what identifies the inputs of a compile: every module's content and the generations
    /// serving now. The same fingerprint fails to compile the same way.
    /// </summary>
    public string Fingerprint => string.Join('\n', Present.Values.Select(s => $"{s.Name}:{s.Hash}")
        .Concat(Live.Values.Select(g => $"{g.Module}#{g.Number}"))
        .Order(StringComparer.Ordinal));
}
