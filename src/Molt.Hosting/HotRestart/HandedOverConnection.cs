namespace Molt.Hosting.HotRestart;

/// <summary>An established connection in the hand-over's offer; its descriptor follows the listeners' in the same order.</summary>
internal sealed record HandedOverConnection
{
    public required string Name { get; init; }

    /// <summary>What the old process received and the program had not read yet: the new process reads it first.</summary>
    public byte[]? Pending { get; init; }

    /// <summary>The program's <see cref="HotRestartConnection.State"/>.</summary>
    public string? State { get; init; }
}
