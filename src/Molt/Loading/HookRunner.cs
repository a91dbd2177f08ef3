namespace Molt.Loading;

/// <summary>Runs a module's hook off the reload's thread, with a timeout, isolating its failures.</summary>
internal static class HookRunner
{
    /// <summary>Runs <paramref name="hook"/>; returns <see langword="null"/> on success, or how it failed.</summary>
    /// <remarks>
    /// A hook that hangs cannot be aborted in .NET: it is abandoned, and its generation will be
    /// reported as leaked by the unload verifier while the hook's thread runs.
    /// </remarks>
    public static async Task<HookFailure?> RunAsync(Func<ValueTask> hook, TimeSpan timeout, TimeProvider time)
    {
        // Task.Run: a hook that blocks synchronously must not block the reload past the timeout.
        var task = Task.Run(async () => await hook().ConfigureAwait(false));
        try
        {
            await task.WaitAsync(timeout, time).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return new HookFailure(true, $"{timeout.TotalSeconds:0.###} s", null, 0, 0);
        }
        catch (Exception ex)
        {
            return HookFailure.FromException(ex);
        }
    }
}
