namespace Molt.Hosting.HotRestart;

/// <summary>A hot restart that did not happen, with the reason <c>molt restart</c> prints.</summary>
internal sealed class HotRestartFailedException : Exception
{
    public HotRestartFailedException()
    {
    }

    public HotRestartFailedException(string message)
        : base(message)
    {
    }

    public HotRestartFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
