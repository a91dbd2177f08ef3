namespace Molt;

/// <summary>What a reload did to one persistent value.</summary>
public enum StateChangeKind
{
    /// <summary>Its type comes from the host or the framework: the same object carried over.</summary>
    CarriedOver = 0,

    /// <summary>Its type is defined by a module: it was migrated into the new generation's type.</summary>
    Migrated = 1,

    /// <summary>It was created with its initial value.</summary>
    Initialized = 2,

    /// <summary>It could not be migrated and its policy is <see cref="MigrationFailurePolicy.Reset"/>: it was reset to its initial value.</summary>
    Reset = 3,

    /// <summary>It could not be migrated and its policy is <see cref="MigrationFailurePolicy.FailReload"/>: the reload failed.</summary>
    Failed = 4,

    /// <summary>The value was dropped, with its content: on purpose (<c>DropState</c>), or because no code asks for it any more and it could not be migrated (MOLT054).</summary>
    Dropped = 5,
}
