namespace Molt;

/// <summary>An entry point could not be created: the export is absent, ambiguous, or of another signature.</summary>
public sealed class MoltEntryPointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MoltEntryPointException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public MoltEntryPointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public MoltEntryPointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
