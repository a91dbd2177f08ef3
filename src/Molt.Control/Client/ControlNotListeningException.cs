namespace Molt.Control;

/// <summary>No process listens at the endpoint: the socket file is missing or stale, or the TCP port is closed.</summary>
public sealed class ControlNotListeningException : ControlException
{
    /// <summary>Initialises the exception.</summary>
    public ControlNotListeningException()
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ControlNotListeningException(string message)
        : base(message)
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlNotListeningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
