namespace Molt.Control;

/// <summary>The process did not answer within the client's timeout.</summary>
public sealed class ControlTimeoutException : ControlException
{
    /// <summary>Initialises the exception.</summary>
    public ControlTimeoutException()
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ControlTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
