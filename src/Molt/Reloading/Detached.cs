namespace Molt.Reloading;

/// <summary>
/// Hands out the engine's tasks so that their callers' continuations are queued to the thread pool,
/// never run inline on the thread (and on top of the frames) that completed the engine's work.
/// </summary>
internal static class Detached
{
    public static Task<T> From<T>(Task<T> task)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        task.ContinueWith(
            static (t, state) => ((TaskCompletionSource<T>)state!).TrySetFromTask(t),
            completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return completion.Task;
    }

    public static Task From(Task task)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        task.ContinueWith(
            static (t, state) => ((TaskCompletionSource)state!).TrySetFromTask(t),
            completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return completion.Task;
    }
}
