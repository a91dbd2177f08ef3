namespace Molt.AspNetCore.Tests;

/// <summary>Holds module requests in flight until a test lets them go (modules call it; it is a host type).</summary>
public static class Gate
{
    private static TaskCompletionSource s_open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int s_waiting;

    public static int Waiting => Volatile.Read(ref s_waiting);

    public static async Task WaitAsync()
    {
        Interlocked.Increment(ref s_waiting);
        try
        {
            await s_open.Task.WaitAsync(WebWorkspace.Timeout);
        }
        finally
        {
            Interlocked.Decrement(ref s_waiting);
        }
    }

    public static void Open() => s_open.TrySetResult();

    public static void Reset() => s_open = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
