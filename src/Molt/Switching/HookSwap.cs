using Molt.Loading;

namespace Molt.Switching;

/// <summary>Moves every host hook from the retiring generations' handlers to the new ones', one swap per hook.</summary>
internal static class HookSwap
{
    public static void Swap(IReadOnlyList<Generation> retiring, IReadOnlyList<Generation> fresh)
    {
        var retiringOwners = retiring.Select(g => (object?)g.Context).ToHashSet(ReferenceEqualityComparer.Instance);
        var byHook = new Dictionary<object, (IHookAttachment First, List<IHookAttachment> Added)>(ReferenceEqualityComparer.Instance);
        foreach (var attachment in retiring.SelectMany(g => g.Context.Attachments))
        {
            byHook.TryAdd(attachment.Hook, (attachment, []));
        }

        foreach (var attachment in fresh.SelectMany(g => g.Context.Attachments))
        {
            if (!byHook.TryGetValue(attachment.Hook, out var entry))
            {
                byHook[attachment.Hook] = entry = (attachment, []);
            }

            entry.Added.Add(attachment);
        }

        foreach (var (first, added) in byHook.Values)
        {
            first.Swap(retiringOwners.Contains, added);
        }
    }
}
