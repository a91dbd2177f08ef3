using Molt.Loading;

namespace Molt.EntryPoints;

/// <summary>One consistent view of every entry point's target and the generation that owns it.</summary>
internal sealed class EntrySnapshot(object[] targets, Generation?[] owners)
{
    public static readonly EntrySnapshot Empty = new([], []);

    public object[] Targets { get; } = targets;

    /// <summary>Gets the generation behind each target, or <see langword="null"/> for a fallback.</summary>
    public Generation?[] Owners { get; } = owners;
}
