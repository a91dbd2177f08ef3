namespace Molt;

/// <summary>What a reload does when a persistent value cannot be migrated to the new generation's type.</summary>
public enum MigrationFailurePolicy
{
    /// <summary>The reload fails: the previous generation keeps serving with its state untouched. The default.</summary>
    FailReload = 0,

    /// <summary>The value is reset to its initial value (potato's behaviour); the reset is reported in the reload result.</summary>
    Reset = 1,
}
