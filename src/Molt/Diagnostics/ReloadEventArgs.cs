namespace Molt;

/// <summary>Carries a finished reload's result.</summary>
/// <param name="result">The result.</param>
public sealed class ReloadEventArgs(ReloadResult result) : EventArgs
{
    /// <summary>Gets the result.</summary>
    public ReloadResult Result { get; } = result;
}
