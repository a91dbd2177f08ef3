namespace Molt.State;

/// <summary>What a neutral capture is for, which decides what happens to host and framework objects.</summary>
internal enum NeutralMode
{
    /// <summary>For a custom migration during a reload: host objects are handed over as they are.</summary>
    Live,

    /// <summary>For a snapshot file: everything must be written out, so framework types other than primitives, collections and tuples are refused.</summary>
    Snapshot,
}
