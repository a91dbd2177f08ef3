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
        // On a thread of its own: a hook that blocks synchronously must not block the reload past the
        // timeout, and one that never returns must not hold a thread-pool thread forever (a few of
        // those starve the pool, and every timer waits, this timeout included).
        var task = Task.Factory.StartNew(() => hook().AsTask(), CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
        return await WaitAsync(task, timeout, time).ConfigureAwait(false);
    }

    /// <summary>Waits for module code already running on a thread of its own; returns <see langword="null"/> on success, or how it failed.</summary>
    public static async Task<HookFailure?> WaitAsync(Task task, TimeSpan timeout, TimeProvider time)
    {
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
