namespace Molt.Control;

/// <summary>Discovery found no running Molt process of the current user, or several where one was needed.</summary>
public sealed class ControlDiscoveryException : ControlException
{
    /// <summary>Initialises the exception.</summary>
    public ControlDiscoveryException()
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ControlDiscoveryException(string message)
        : base(message)
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlDiscoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="candidates">The live processes found (empty when none).</param>
    public ControlDiscoveryException(string message, IReadOnlyList<ControlSocketInfo> candidates)
        : base(message)
    {
        Candidates = candidates;
    }

    /// <summary>Gets the live processes found: none, or more than one.</summary>
    public IReadOnlyList<ControlSocketInfo> Candidates { get; } = [];
}
