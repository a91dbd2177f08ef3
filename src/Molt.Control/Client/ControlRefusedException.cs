namespace Molt.Control;

/// <summary>
/// The process refused the client: <see cref="ControlErrorCodes.Forbidden"/> (another user),
/// <see cref="ControlErrorCodes.Unauthorized"/> (wrong TCP token) or <see cref="ControlErrorCodes.Busy"/>.
/// </summary>
public sealed class ControlRefusedException : ControlException
{
    /// <summary>Initialises the exception.</summary>
    public ControlRefusedException()
    {
        Code = ControlErrorCodes.Forbidden;
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ControlRefusedException(string message)
        : base(message)
    {
        Code = ControlErrorCodes.Forbidden;
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ControlErrorCodes.Forbidden;
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="code">The server's error code.</param>
    /// <param name="message">The server's message.</param>
    public ControlRefusedException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Gets the server's error code.</summary>
    public string Code { get; }
}
