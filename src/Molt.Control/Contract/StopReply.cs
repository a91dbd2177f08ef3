namespace Molt.Control;

/// <summary>The result of <c>stop</c>, sent once the host has been told to stop (it replies before it exits).</summary>
public sealed record StopReply
{
    /// <summary>Gets whether the process is stopping (<c>stopping</c>).</summary>
    public required bool Stopping { get; init; }

    /// <summary>Gets the process id (<c>pid</c>), to wait for its exit.</summary>
    public required int Pid { get; init; }
}
