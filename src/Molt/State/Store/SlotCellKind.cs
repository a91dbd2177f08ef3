namespace Molt.State;

/// <summary>What a slot holds.</summary>
internal enum SlotCellKind
{
    /// <summary>Nothing yet (new, or reset by a reload): the next declaration runs its initialiser.</summary>
    Empty,

    /// <summary>A live value.</summary>
    Value,

    /// <summary>A neutral value restored from a snapshot, waiting for its module to declare the slot's type.</summary>
    Neutral,
}
