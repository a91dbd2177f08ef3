using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// A body edit merged into the serving generation's image has that generation's types, so loading
/// skips loading every type. The server merges into its own last compile, which need not be the
/// serving one (a compile whose load failed): then every type is loaded as after a full compile.
/// </summary>
public sealed class ServerDeltaBaseTests
{
    private const string BadLayout = """
        using System.Runtime.InteropServices;

        // Compiles, but the runtime refuses to load it: a reference overlapped by an integer.
        [StructLayout(LayoutKind.Explicit)]
        public struct Overlapped
        {
            [FieldOffset(0)] public object Reference;
            [FieldOffset(0)] public long Number;
        }
        """;

    private static string Calc(int value) => $$"""
        public static class Calc
        {
            [Export] public static int Value() => {{value}};
        }
        """;

    [Fact]
    public async Task ABodyEditTheServerMergedIntoAnImageThatFailedToLoadIsLoadedTypeByType()
    {
        using var rig = new ServerRig();
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app/calc.cs", Calc(1));
        var engine = await workspace.StartAsync(o => rig.Configure(o));
        var value = engine.GetEntryPoint<Func<int>>("app", "Value");

        workspace.Write("app/overlapped.cs", BadLayout);
        var failed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.False(failed.Succeeded);
        Assert.Contains(failed.Errors, d => d.Id == MoltDiagnosticIds.TypeLoadFailed);

        // A body edit of the compile that failed to load: the server merges it into that image.
        workspace.Write("app/calc.cs", Calc(3));
        var again = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(again.Changes.Single(c => c.Module == "app").PartialCompile, again.Changes.Single().WholeCompileReason);
        Assert.False(again.Succeeded);
        Assert.Contains(again.Errors, d => d.Id == MoltDiagnosticIds.TypeLoadFailed && d.Message.Contains("Overlapped", StringComparison.Ordinal));
        Assert.Equal(1, value.Current());

        workspace.Delete("app/overlapped.cs");
        var fixedUp = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(fixedUp.Succeeded, fixedUp.Error);
        Assert.Equal(3, value.Current());
        Assert.True(engine.CompileServerClient!.FellBack == 0, engine.CompileServerClient.LastFallback);
    }
}
