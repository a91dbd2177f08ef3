using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class LifecycleTests
{
    private const string Lifecycle = """
        public sealed class Lifecycle : IModule
        {
            private static Molt.Tests.Infrastructure.Recorder R(IModuleContext c) =>
                (Molt.Tests.Infrastructure.Recorder)c.Services.GetService(typeof(Molt.Tests.Infrastructure.Recorder))!;

            public ValueTask OnLoadAsync(IModuleContext context)
            {
                R(context).Add($"load {context.Generation} first={context.IsFirstLoad} handover={context.Handover ?? "none"} TAG");
                context.Retired.Register(() => R(context).Add($"retired-token {context.Generation}"));
                context.Attach(Molt.Tests.Engine.Hooks.Line, line => R(context).Add($"line {line} seen by {context.Generation}"));
                return ValueTask.CompletedTask;
            }

            public object? OnHandover(IModuleContext context) => $"from {context.Generation}";

            public ValueTask OnUnloadAsync(IModuleContext context)
            {
                R(context).Add($"unload {context.Generation} cancelled={context.Retired.IsCancellationRequested}");
                return ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task HooksRunInTransactionOrderWithFirstLoadFlagAndHandover()
    {
        await using var workspace = new ModuleWorkspace();
        var recorder = new Recorder();
        workspace.Write("life.cs", Lifecycle.Replace("TAG", "a"));
        var engine = await workspace.StartAsync(o => o.Services = new RecorderServices(recorder));
        Assert.Equal(["load 1 first=True handover=none a"], recorder.Lines);

        recorder.Clear();
        workspace.Write("life.cs", Lifecycle.Replace("TAG", "b"));
        Assert.True((await engine.ReloadAsync()).Succeeded);

        Assert.Equal(
            ["load 2 first=False handover=from 1 b", "retired-token 1", "unload 1 cancelled=True"],
            recorder.Lines);
    }

    [Fact]
    public async Task HookHandlersNeverPileUpOverReloads()
    {
        await using var workspace = new ModuleWorkspace();
        var recorder = new Recorder();
        workspace.Write("life.cs", Lifecycle.Replace("TAG", "0"));
        var engine = await workspace.StartAsync(o => o.Services = new RecorderServices(recorder));

        for (var i = 1; i <= 5; i++)
        {
            workspace.Write("life.cs", Lifecycle.Replace("TAG", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True((await engine.ReloadAsync()).Succeeded);
        }

        recorder.Clear();
        Assert.Single(Hooks.Line.Handlers.Where(_ => true));
        Hooks.Line.InvokeAll(h => h("ping"));
        Assert.Equal(["line ping seen by 6"], recorder.Lines);
    }

    [Fact]
    public async Task AFailedLoadNeverActivatesTheNewGenerationsHandlersOrTimers()
    {
        await using var workspace = new ModuleWorkspace();
        var recorder = new Recorder();
        const string module = """
            public sealed class Lifecycle : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    var r = (Molt.Tests.Infrastructure.Recorder)context.Services.GetService(typeof(Molt.Tests.Infrastructure.Recorder))!;
                    context.Attach(Molt.Tests.Engine.Hooks.Line, line => r.Add("TAG " + line));
                    context.StartTimer(() => r.Add("TAG timer"), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                    FAIL
                    return ValueTask.CompletedTask;
                }
            }
            """;
        workspace.Write("life.cs", module.Replace("TAG", "old").Replace("FAIL", string.Empty));
        var engine = await workspace.StartAsync(o => o.Services = new RecorderServices(recorder));
        await WaitUntilAsync(() => recorder.Lines.Contains("old timer"));

        workspace.Write("life.cs", module.Replace("TAG", "new").Replace("FAIL", "throw new InvalidOperationException(\"no\");"));
        Assert.False((await engine.ReloadAsync()).Succeeded);
        Hooks.Line.InvokeAll(h => h("x"));

        Assert.Contains("old x", recorder.Lines);
        Assert.DoesNotContain(recorder.Lines, l => l.StartsWith("new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AThrowingUnloadHookIsReportedAndTheNewGenerationServes()
    {
        await using var workspace = new ModuleWorkspace();
        const string module = """
            public static class F { [Export] public static int V() => VERSION; }
            public sealed class Lifecycle : IModule
            {
                public ValueTask OnUnloadAsync(IModuleContext context) => throw new InvalidOperationException("unload broke");
            }
            """;
        workspace.Write("m.cs", module.Replace("VERSION", "1"));
        var engine = await workspace.StartAsync();
        var v = engine.GetEntryPoint<Func<int>>("m", "V");

        workspace.Write("m.cs", module.Replace("VERSION", "2"));
        var result = await engine.ReloadAsync();

        Assert.True(result.Succeeded, result.Error);
        var warning = Assert.Single(result.Diagnostics, d => d.Id == "MOLT040");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("unload broke", warning.Message);
        Assert.Equal(2, v.Current());
    }

    [Fact]
    public async Task ALoadHookThatHangsTimesOutAndTheOldCodeServes()
    {
        await using var workspace = new ModuleWorkspace();
        const string module = """
            public static class F { [Export] public static int V() => VERSION; }
            public sealed class Lifecycle : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    if (VERSION == 2) { Thread.Sleep(Timeout.Infinite); }
                    return ValueTask.CompletedTask;
                }
            }
            """;
        workspace.Write("m.cs", module.Replace("VERSION", "1"));
        var engine = await workspace.StartAsync(o => o.LoadTimeout = TimeSpan.FromMilliseconds(300));
        var v = engine.GetEntryPoint<Func<int>>("m", "V");

        workspace.Write("m.cs", module.Replace("VERSION", "2"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(result.Succeeded);
        Assert.Equal("MOLT028", Assert.Single(result.Errors).Id);
        Assert.Equal(1, v.Current());
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

/// <summary>A host hook the lifecycle modules attach to.</summary>
public static class Hooks
{
    public static readonly Hook<Action<string>> Line = new("line");
}
