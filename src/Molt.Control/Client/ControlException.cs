namespace Molt.Control;

/// <summary>Talking to a control channel failed: the base of the client's exceptions.</summary>
public class ControlException : Exception
{
    /// <summary>Initialises the exception.</summary>
    public ControlException()
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ControlException(string message)
        : base(message)
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
