using Molt.EntryPoints;
using Molt.Loading;
using Molt.State;

namespace Molt.Activation;

/// <summary>A reload ready to switch: its generations loaded and initialised, their state staged, every entry point resolved.</summary>
/// <param name="Fresh">The new generations, in load order.</param>
/// <param name="Retiring">The serving generations they replace (and those of removed modules).</param>
/// <param name="Entries">The entry point table to publish at the switch.</param>
/// <param name="State">The open state transaction.</param>
internal sealed record StagedReload(
    IReadOnlyList<Generation> Fresh,
    IReadOnlyList<Generation> Retiring,
    EntrySnapshot Entries,
    StateMigrationTransaction State);
