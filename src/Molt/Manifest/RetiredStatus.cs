namespace Molt;

/// <summary>Where a retired generation is on its way out of memory.</summary>
public enum RetiredStatus
{
    /// <summary>Unloaded; the verifier is waiting for it to be collected.</summary>
    Pending = 0,

    /// <summary>Collected: its memory is gone.</summary>
    Collected = 1,

    /// <summary>Still alive after the verifier's bounded collections: something holds it.</summary>
    Leaked = 2,
}
