using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class EntryPointTests
{
    private const string Greeter = """
        [Export]
        public sealed class Greeter : Molt.Tests.Infrastructure.IGreeter
        {
            public string Greet(string name) => "hello " + name;
        }

        public static class Functions
        {
            [Export("Twice")] public static int Double(int x) => x * 2;
        }
        """;

    [Fact]
    public async Task AServiceHandleFollowsReloadsToTheNewInstance()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();
        var greeter = engine.GetService<IGreeter>("greeter");
        var before = greeter.Current;
        Assert.Equal("hello ann", before.Greet("ann"));

        workspace.Write("greeter.cs", Greeter.Replace("\"hello \"", "\"hi \""));
        Assert.True((await engine.ReloadAsync()).Succeeded);

        Assert.Equal("hi ann", greeter.Current.Greet("ann"));
        Assert.NotSame(before, greeter.Current);
        Assert.Equal(2, greeter.Generation);
    }

    [Fact]
    public async Task AnExportNameCanDifferFromTheMethodName()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();

        Assert.Equal(8, engine.GetEntryPoint<Func<int, int>>("greeter", "Twice").Current(4));
        var missing = Assert.Throws<MoltEntryPointException>(() => engine.GetEntryPoint<Func<int, int>>("greeter", "Double"));
        Assert.Contains("exports no 'Double'", missing.Message);
    }

    [Fact]
    public async Task RemovingAnExportInUseFailsTheReloadAndTheOldCodeServes()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();
        var twice = engine.GetEntryPoint<Func<int, int>>("greeter", "Twice");

        workspace.Write("greeter.cs", Greeter.Replace("[Export(\"Twice\")]", string.Empty));
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("MOLT030", error.Id);
        Assert.Contains("greeter.Twice", error.Message);
        Assert.Equal(10, twice.Current(5));
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task AnExportWhoseSignatureNoLongerMatchesItsHandleFailsTheReload()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();
        var twice = engine.GetEntryPoint<Func<int, int>>("greeter", "Twice");

        workspace.Write("greeter.cs", Greeter.Replace("int Double(int x) => x * 2", "long Double(long x) => x * 2"));
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Contains("does not match Func`2 (Int32) : Int32", Assert.Single(result.Errors).Message);
        Assert.Equal(10, twice.Current(5));
    }

    [Fact]
    public async Task AFallbackServesWhileTheExportIsAbsentAndTheExportTakesOverWhenItAppears()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();
        var triple = engine.GetEntryPoint<Func<int, int>>("greeter", "Triple", fallback: x => -x);
        Assert.Equal(-3, triple.Current(3));
        Assert.Equal(0, triple.Generation);

        workspace.Write("greeter.cs", Greeter + "\npublic static class More { [Export] public static int Triple(int x) => x * 3; }");
        Assert.True((await engine.ReloadAsync()).Succeeded);
        Assert.Equal(9, triple.Current(3));

        workspace.Write("greeter.cs", Greeter);
        var result = await engine.ReloadAsync();
        Assert.True(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Id == "MOLT031" && d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal(-3, triple.Current(3));
    }

    [Fact]
    public async Task HandleTypesDefinedByAModuleAreRefused()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();
        var moduleType = engine.GetService<IGreeter>("greeter").Current.GetType();
        var method = typeof(MoltEngine).GetMethod(nameof(MoltEngine.GetService))!.MakeGenericMethod(moduleType);

        var ex = Assert.Throws<System.Reflection.TargetInvocationException>(() => method.Invoke(engine, ["greeter", null, null]));

        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains("defined by a module", ex.InnerException!.Message);
    }

    [Fact]
    public async Task TrackedCallsDelayRetirementUntilTheyReturn()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("greeter.cs", Greeter);
        var engine = await workspace.StartAsync();
        var twice = engine.GetEntryPoint<Func<int, int>>("greeter", "Twice");

        var lease = twice.Enter();
        workspace.Write("greeter.cs", Greeter.Replace("x * 2", "x * 20"));
        var reload = engine.ReloadAsync();

        // The switch happens, but retirement waits for the lease.
        await WaitUntilAsync(() => twice.Current(1) == 20);
        Assert.False(reload.IsCompleted);
        Assert.Equal(2, lease.Target(1));
        lease.Dispose();

        Assert.True((await reload.WaitAsync(TestTimeouts.Reload)).Succeeded);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Reload);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
