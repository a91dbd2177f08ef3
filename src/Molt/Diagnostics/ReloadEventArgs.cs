namespace Molt;

/// <summary>Carries a finished reload's result.</summary>
/// <param name="result">The result.</param>
public sealed class ReloadEventArgs(ReloadResult result) : EventArgs
{
    /// <summary>Gets the result.</summary>
    public ReloadResult Result { get; } = result;

    /// <summary>
    /// Gets the reload in one line, as <c>molt run</c> says it: <c>reloaded generation 3 (watcher): calc#3 (changed)</c>,
    /// <c>reload failed (control): compile errors in calc; generation 2 keeps serving</c>, or what nothing changed since.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (!Result.Succeeded)
        {
            return $"reload failed ({Result.Trigger}): {Result.Error}; generation {Result.Generation} keeps serving";
        }

        var what = Result.Changes.Count > 0
            ? string.Join(", ", Result.Changes.Select(c => $"{c.Module}#{c.Generation} ({c.Kind.ToString().ToLowerInvariant()})"))
            : Result.UnchangedSince is { } since ? $"nothing changed since generation {since.Generation} ({since.Trigger})" : "nothing changed";
        return $"reloaded generation {Result.Generation} ({Result.Trigger}): {what}";
    }
}
