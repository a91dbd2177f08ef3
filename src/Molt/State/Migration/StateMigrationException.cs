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

    /// <summary>Gets the source file of the module code that threw (a custom migration), if known.</summary>
    public string? File { get; private init; }

    /// <summary>Gets the line in <see cref="File"/>, or 0.</summary>
    public int Line { get; private init; }

    /// <summary>Gets a copy of the exception that says where the module code threw.</summary>
    public StateMigrationException At(string? file, int line) => new(Path, Reason, InnerException) { File = file, Line = line };
}
