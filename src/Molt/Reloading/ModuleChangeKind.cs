namespace Molt;

/// <summary>Why a module took part in a reload.</summary>
public enum ModuleChangeKind
{
    /// <summary>Its files changed.</summary>
    Changed = 0,

    /// <summary>It is new.</summary>
    Added = 1,

    /// <summary>It was removed and its generation retired.</summary>
    Removed = 2,

    /// <summary>It did not change but depends on a module that did.</summary>
    Dependent = 3,
}
