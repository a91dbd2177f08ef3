using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// A host whose code after <c>await engine.StartAsync()</c> (or <c>ReloadAsync</c>) is a synchronous
/// loop that never returns, as a game's <c>Main</c> is: nothing of the engine may sit under it on
/// the stack, or the generations those frames reference could never be collected.
/// </summary>
public sealed class CallerStackTests
{
    private const string Versioned = "public static class V { [Export] public static int Version() => VERSION; }";

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "xUnit1031", Justification = "Blocking is the point: the host's loop is synchronous.")]
    public async Task AHostThatLoopsSynchronouslyAfterStartAndReloadLeaksNoGeneration()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("v.cs", Versioned.Replace("VERSION", "0"));
        var engine = workspace.CreateEngine();
        await engine.StartAsync();
        workspace.Write("v.cs", Versioned.Replace("VERSION", "1"));
        await engine.ReloadAsync();

        // From here on, synchronous: this thread is whatever completed the await, and it never
        // returns to its caller until the test is over.
        var version = engine.GetEntryPoint<Func<int>>("v", "Version");
        for (var i = 2; i <= 4; i++)
        {
            workspace.Write("v.cs", Versioned.Replace("VERSION", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var result = engine.ReloadAsync().WaitAsync(TestTimeouts.Reload).GetAwaiter().GetResult();
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(i, version.Current());
        }

        engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification).GetAwaiter().GetResult();
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task NoEngineFrameIsUnderTheContinuationOfStartOrReload()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("v.cs", Versioned.Replace("VERSION", "0"));
        var engine = workspace.CreateEngine();

        var afterStart = await engine.StartAsync().ContinueWith(_ => EngineFrames(), TaskContinuationOptions.ExecuteSynchronously);
        workspace.Write("v.cs", Versioned.Replace("VERSION", "1"));
        var afterReload = await engine.ReloadAsync().ContinueWith(_ => EngineFrames(), TaskContinuationOptions.ExecuteSynchronously);

        Assert.Empty(afterStart);
        Assert.Empty(afterReload);
    }

    private static string[] EngineFrames() =>
        [.. new System.Diagnostics.StackTrace().GetFrames()
            .Select(f => f.GetMethod())
            .Where(m => m?.DeclaringType?.Assembly == typeof(MoltEngine).Assembly)
            .Select(m => $"{m!.DeclaringType!.Name}.{m.Name}")];
}
