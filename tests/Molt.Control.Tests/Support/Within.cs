namespace Molt.Control.Tests;

/// <summary>Every wait in these tests is bounded, so a hang fails the test instead of the run.</summary>
internal static class Within
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task Bounded(this Task task) => task.WaitAsync(Default);
}
