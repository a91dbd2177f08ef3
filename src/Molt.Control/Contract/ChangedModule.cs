namespace Molt.Control;

/// <summary>One module a reload touched: an element of <see cref="ReloadReply.Changed"/>.</summary>
public sealed record ChangedModule
{
    /// <summary>Gets the module's name (<c>module</c>).</summary>
    public required string Module { get; init; }

    /// <summary>Gets what happened to it (<c>kind</c>): <c>changed</c>, <c>added</c>, <c>removed</c> or <c>dependent</c>.</summary>
    /// <remarks>A string rather than an enum, so that a client reads a kind a newer server adds.</remarks>
    public required string Kind { get; init; }

    /// <summary>Gets its new generation (<c>generation</c>); for a removed module, the generation that was retired.</summary>
    public required int Generation { get; init; }

    /// <summary>Gets the files whose content changed, was added or removed (<c>files</c>); empty for a dependent.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Gets whether its image came from the compilation cache (<c>cached</c>).</summary>
    public required bool Cached { get; init; }

    /// <summary>Gets whether this dependent was not recompiled (<c>reused</c>): its previous image was loaded again, bound to its dependencies' new generations.</summary>
    public required bool Reused { get; init; }
}
