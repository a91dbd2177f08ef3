namespace Molt.Hosting.HotRestart;

/// <summary>
/// One line of the hand-over protocol. The old process sends an <c>offer</c> right after the
/// listening sockets' descriptors (in the order of <see cref="Listeners"/>); the new one
/// answers <c>ready</c> once its host has started; if the offer named connections, the old one pauses them and sends them (<c>transfer</c>), and the
/// new one answers <c>taken</c>; the old one confirms with <c>ack</c> and stops.
/// </summary>
internal sealed record HandoverMessage
{
    public const string Offer = "offer";
    public const string Ready = "ready";
    public const string Ack = "ack";

    /// <summary>After <c>ready</c>, when the offer named connections: their descriptors, then this message with their unread bytes and final state.</summary>
    public const string Transfer = "transfer";

    /// <summary>The new process's answer to <c>transfer</c>: it holds the connections; the old one may let go.</summary>
    public const string Taken = "taken";

    public required string Type { get; init; }

    public required int Pid { get; init; }

    public IReadOnlyList<string> Listeners { get; init; } = [];

    /// <summary>
    /// The established connections: in the offer, their names and state as they were then (they go
    /// on serving in the old process); in <c>transfer</c>, in the order of its descriptors, with their
    /// unread bytes and final state.
    /// </summary>
    public IReadOnlyList<HandedOverConnection> Connections { get; init; } = [];

    /// <summary>The state snapshot to restore before serving, or <see langword="null"/>.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Whether the snapshot was written only for the hand-over (the host configured none): the new process deletes it once restored.</summary>
    public bool SnapshotIsTemporary { get; init; }
}
