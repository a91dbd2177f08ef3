namespace Molt.Cli.Tests;

/// <summary>Upper bounds for waits: generous because CI machines are slow, never infinite.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Process = TimeSpan.FromSeconds(90);
}
