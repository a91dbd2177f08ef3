namespace Molt.Hosting.Tests;

/// <summary>Upper bounds for waits: generous because CI machines are slow, never infinite.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Reload = TimeSpan.FromSeconds(60);
}
