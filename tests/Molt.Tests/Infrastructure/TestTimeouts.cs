namespace Molt.Tests.Infrastructure;

/// <summary>Upper bounds for waits in tests: generous, because CI machines are slow, but never infinite.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Reload = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan Verification = TimeSpan.FromSeconds(30);
}
