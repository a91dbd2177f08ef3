namespace Molt.Cli;

/// <summary>The <c>molt</c> command's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success: the reload, check or request succeeded; <c>molt run</c> stopped gracefully.</summary>
    public const int Ok = 0;

    /// <summary>The reload or check failed, or <c>molt run</c> could not start.</summary>
    public const int Failed = 1;

    /// <summary>No Molt process could be reached.</summary>
    public const int Unreachable = 2;
}
