namespace Molt.Hosting.HotRestart;

/// <summary>
/// One line of the hand-over protocol. The old process sends an <c>offer</c> right after the
/// descriptors (the listening sockets in the order of <see cref="Listeners"/>, then the connections in the order of <see cref="Connections"/>); the new one
/// answers <c>ready</c> once its host has started; the old one confirms with <c>ack</c> and stops.
/// </summary>
internal sealed record HandoverMessage
{
    public const string Offer = "offer";
    public const string Ready = "ready";
    public const string Ack = "ack";

    public required string Type { get; init; }

    public required int Pid { get; init; }

    public IReadOnlyList<string> Listeners { get; init; } = [];

    /// <summary>The established connections, whose descriptors follow the listeners' in this order.</summary>
    public IReadOnlyList<HandedOverConnection> Connections { get; init; } = [];

    /// <summary>The state snapshot to restore before serving, or <see langword="null"/>.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Whether the snapshot was written only for the hand-over (the host configured none): the new process deletes it once restored.</summary>
    public bool SnapshotIsTemporary { get; init; }
}
