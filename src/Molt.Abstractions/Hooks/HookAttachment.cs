namespace Molt;

/// <summary>A handler one generation attaches to a <see cref="Hook{T}"/>.</summary>
internal sealed class HookAttachment<T>(Hook<T> hook, object owner, T handler, int order) : IHookAttachment
    where T : Delegate
{
    public object Hook => hook;

    public object Owner => owner;

    public void Swap(Func<object, bool> retiring, IReadOnlyList<IHookAttachment> attachments) =>
        hook.Replace(retiring, attachments.Cast<HookAttachment<T>>().Select(a => new Hook<T>.Registration(a.Owner, a.Handler, a.Order)));

    internal T Handler => handler;

    internal int Order => order;
}
