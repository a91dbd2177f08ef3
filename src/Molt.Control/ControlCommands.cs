namespace Molt.Control;

/// <summary>The commands a control channel accepts. Any other command gets <see cref="ControlErrorCodes.UnknownCommand"/>.</summary>
public static class ControlCommands
{
    /// <summary>Recompile and swap the reloadable modules.</summary>
    public const string Reload = "reload";

    /// <summary>Report the process's modules, generations and health.</summary>
    public const string Status = "status";

    /// <summary>Wait for the unload verifier and report the retired generations still in memory, and whether one leaked.</summary>
    public const string Verify = "verify";

    /// <summary>Capture the persistent state.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>Ask the process to shut down.</summary>
    public const string Stop = "stop";

    /// <summary>Start a new process of the host, hand it the listening sockets and the state, and let this one finish (a hot restart).</summary>
    public const string Restart = "restart";

    /// <summary>Returns whether <paramref name="command"/> is one of the known commands (case-sensitive).</summary>
    /// <param name="command">The command name from a request.</param>
    /// <returns><see langword="true"/> when the command is known.</returns>
    internal static bool IsKnown(string? command) =>
        command is Reload or Status or Verify or Snapshot or Stop or Restart;
}
