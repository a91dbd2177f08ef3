namespace Molt;

/// <summary>A handler staged by a generation for a hook, activated at the switch and removed at retirement.</summary>
internal interface IHookAttachment
{
    /// <summary>Gets the hook's identity, so the engine can group attachments per hook.</summary>
    object Hook { get; }

    /// <summary>Swaps, in one step, the handlers owned by <paramref name="retiring"/> for those in <paramref name="attachments"/>.</summary>
    void Swap(Func<object, bool> retiring, IReadOnlyList<IHookAttachment> attachments);
}
