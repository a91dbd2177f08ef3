namespace Molt.State;

/// <summary>What a reload did to one slot.</summary>
internal enum SlotMigrationOutcome
{
    /// <summary>The value involves no retiring type and keeps its identity.</summary>
    CarriedOver,

    /// <summary>The value was migrated into the new generation's types (or restored from a snapshot into them).</summary>
    Migrated,

    /// <summary>The slot had no value; the new generation's initial value was created.</summary>
    Initialized,

    /// <summary>The value could not be migrated and the slot's policy is <see cref="MigrationFailurePolicy.Reset"/>: it starts again from its initial value.</summary>
    Reset,

    /// <summary>The value could not be migrated and the slot's policy is <see cref="MigrationFailurePolicy.FailReload"/>: the reload must fail.</summary>
    Failed,

    /// <summary>The value was dropped: on purpose (<c>DropState</c>), or because no code asks for it any more and it could not be migrated.</summary>
    Dropped,
}
