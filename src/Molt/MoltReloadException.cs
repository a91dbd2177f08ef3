namespace Molt;

/// <summary>A reload that had to succeed (the first load) failed. <see cref="Result"/> says why.</summary>
public sealed class MoltReloadException : Exception
{
    /// <summary>Creates the exception from a failed result.</summary>
    /// <param name="result">The failed result.</param>
    public MoltReloadException(ReloadResult result)
        : base(Describe(result))
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>Gets the failed reload's result, with its diagnostics.</summary>
    public ReloadResult Result { get; }

    private static string Describe(ReloadResult result) =>
        $"{result.Error}{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors.Select(e => "  " + e))}";
}
