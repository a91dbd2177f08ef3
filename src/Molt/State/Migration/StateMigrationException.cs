namespace Molt.State;

/// <summary>A persistent value could not be migrated; <see cref="Path"/> names the member that failed.</summary>
internal sealed class StateMigrationException : Exception
{
    public StateMigrationException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Gets where in the value the migration failed, e.g. <c>Game.Players[3].Score</c>.</summary>
    public string Path { get; }

    /// <summary>Gets why it failed, without the path.</summary>
    public string Reason { get; }
}
