namespace Molt.State;

/// <summary>A handle that is told its epoch's last cell when a commit ends that epoch.</summary>
internal interface IRetirableHandle
{
    int Epoch { get; }

    /// <summary>Gets the type the handle reads the value as.</summary>
    Type ValueType { get; }

    void Retire(SlotCell last);

    /// <summary>Disables the handle: its generation was discarded by a failed reload.</summary>
    void Discard();
}
