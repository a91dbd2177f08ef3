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

    /// <summary>
    /// Runs <paramref name="work"/> for 0..<paramref name="count"/>-1, on up to one large-stack
    /// thread per core, and returns when all are done (rethrowing the first failure). A single
    /// item runs on the calling thread.
    /// </summary>
    public static void RunAll(int count, Action<int> work)
    {
        if (count == 1)
        {
            work(0);
            return;
        }

        var next = -1;
        var workers = Math.Min(count, Environment.ProcessorCount);
        var tasks = new Task<bool>[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = RunAsync(() =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    work(i);
                }

                return true;
            });
        }

        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
