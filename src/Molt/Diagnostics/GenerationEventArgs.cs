namespace Molt;

/// <summary>Says what became of a retired generation.</summary>
/// <param name="module">The module.</param>
/// <param name="generation">The generation's number.</param>
/// <param name="message">A description; for a leak, what to look for.</param>
public sealed class GenerationEventArgs(string module, int generation, string message) : EventArgs
{
    /// <summary>Gets the module.</summary>
    public string Module { get; } = module;

    /// <summary>Gets the generation's number.</summary>
    public int Generation { get; } = generation;

    /// <summary>Gets a description; for a leak, the usual suspects.</summary>
    public string Message { get; } = message;

    /// <summary>Gets the generation and what became of it, as <c>calc#3: collected</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Module}#{Generation}: {Message}";
}
