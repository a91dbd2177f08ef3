using Microsoft.Extensions.Logging;

namespace Molt.Reloading;

/// <summary>
/// What a reload opened and must close again if it fails: each stage records the undo of what it
/// opens as it opens it, so a failure at any point, expected or not, undoes exactly what was done.
/// Once the switch has happened, <see cref="Forget"/> drops the log: the new generation serves.
/// </summary>
internal sealed class UndoLog(ILogger logger)
{
    private readonly Stack<(string What, Func<ValueTask> Undo)> _steps = new();

    /// <summary>Records how to undo something just opened.</summary>
    public void Push(string what, Func<ValueTask> undo) => _steps.Push((what, undo));

    /// <summary>Records how to undo something just opened.</summary>
    public void Push(string what, Action undo) => Push(what, () =>
    {
        undo();
        return ValueTask.CompletedTask;
    });

    /// <summary>Commits: nothing recorded so far will be undone.</summary>
    public void Forget() => _steps.Clear();

    /// <summary>
    /// Undoes everything, last opened first. An undo that throws is reported and the others still
    /// run: one broken step must not leave the rest open.
    /// </summary>
    public async Task RollBackAsync(List<ModuleDiagnostic> diagnostics)
    {
        while (_steps.TryPop(out var step))
        {
            try
            {
                await step.Undo().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.UndoFailed(logger, step.What, ex);
                diagnostics.Add(new ModuleDiagnostic(null, null, 0, 0, MoltDiagnosticIds.InternalError, DiagnosticSeverity.Warning,
                    $"Undoing '{step.What}' after a failed reload threw {ex.GetType().Name}: {ex.Message}"));
            }
        }
    }
}
