namespace Molt.Control;

/// <summary>
/// The result of <c>restart</c>: whether a new process took over (this one then stops accepting,
/// finishes its requests and exits), or why not (this one goes on serving).
/// </summary>
public sealed record RestartReply
{
    /// <summary>Gets whether the new process is ready and serving (<c>ok</c>).</summary>
    public required bool Ok { get; init; }

    /// <summary>Gets the process id of the process that answered: the old one (<c>pid</c>).</summary>
    public required int Pid { get; init; }

    /// <summary>Gets the new process's id (<c>newPid</c>), or <see langword="null"/> when none was started.</summary>
    public required int? NewPid { get; init; }

    /// <summary>Gets how long from the request to the new process being ready, or to the failure, in milliseconds (<c>durationMs</c>).</summary>
    public required double DurationMs { get; init; }

    /// <summary>Gets the names of the listening sockets handed over (<c>listeners</c>).</summary>
    public required IReadOnlyList<string> Listeners { get; init; }

    /// <summary>Gets the names of the established connections handed over (<c>connections</c>).</summary>
    public IReadOnlyList<string> Connections { get; init; } = [];

    /// <summary>Gets why the restart failed (<c>error</c>), or <see langword="null"/> on success.</summary>
    public required string? Error { get; init; }
}
