namespace Molt.Compilation;

/// <summary>
/// Runs work on a dedicated thread with a large stack. Parsing and binding are recursive; on a
/// thread-pool thread (1.5 MB of stack) deeply nested but legal code could overflow it, which ends
/// the process. The thread costs far less than a compile.
/// </summary>
internal static class LargeStack
{
    private const int StackSize = 256 * 1024 * 1024;

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.SetResult(work());
                }
                catch (Exception ex)
                {
                    completion.SetException(ex);
                }
            },
            StackSize)
        {
            IsBackground = true,
            Name = "Molt compiler",
        };
        thread.Start();
        return completion.Task;
    }
}
