using Microsoft.Extensions.DependencyInjection;

namespace Molt.Hosting.Tests;

public sealed class TriggerTests
{
    [Fact]
    public async Task PollingReloadsWhenNothingWatchesTheFiles()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync(o =>
        {
            o.WatchFiles = false;
            o.Polling = PollingMode.Always;
            o.PollingInterval = TimeSpan.FromMilliseconds(50);
        });
        var add = workspace.Engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        // Same length as before, and within the file system's timestamp tick of the first load:
        // only the content tells it apart.
        File.WriteAllText(path, Modules.Calc("a - b"));
        var reload = await workspace.Log.WaitAsync(r => r.Changes.Count > 0);

        Assert.True(reload.Succeeded, reload.Error);
        Assert.Equal("poll", reload.Trigger);
        Assert.Equal(-1, add.Current(1, 2));
        Assert.Empty(workspace.Log.Failures);
    }

    [Fact]
    public async Task AFailedLoadIsRetriedAfterTheConfiguredDelay()
    {
        await using var workspace = new HostedWorkspace();
        var flag = workspace.PathOf("../" + Path.GetFileName(workspace.Root) + ".fail");
        var source = $$"""
            public sealed class Gate : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context) =>
                    File.Exists(@"{{flag}}") ? throw new InvalidOperationException("the flag is set") : ValueTask.CompletedTask;
            }
            public static class Calc { [Export] public static int Add(int a, int b) => a + b + VERSION; }
            """;
        var path = workspace.Write("calc.cs", source.Replace("VERSION", "0"));
        await workspace.StartAsync(o =>
        {
            o.WatchFiles = false;
            o.RetryDelay = TimeSpan.FromMilliseconds(200);
        });
        var add = workspace.Engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        File.WriteAllText(flag, "");
        try
        {
            File.WriteAllText(path, source.Replace("VERSION", "100"));
            var failed = await workspace.Engine.ReloadAsync("api").WaitAsync(TestTimeouts.Reload);
            Assert.False(failed.Succeeded);
            Assert.Equal(3, add.Current(1, 2));
        }
        finally
        {
            File.Delete(flag);
        }

        var retried = await workspace.Log.WaitAsync(r => r.Succeeded && r.Changes.Count > 0);
        Assert.Equal("retry", retried.Trigger);
        Assert.Equal(103, add.Current(1, 2));
    }

    [Fact]
    public async Task ModulesResolveTheHostsServices()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("greeter.cs", """
            public sealed class Greeter : IModule
            {
                private static string s_text = "";
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    s_text = ((Molt.Hosting.Tests.Greeting)context.Services.GetService(typeof(Molt.Hosting.Tests.Greeting))!).Text;
                    return ValueTask.CompletedTask;
                }
                [Export] public static string Text() => s_text;
            }
            """);
        await workspace.StartAsync(services: s => s.AddSingleton(new Greeting { Text = "hello from the host" }));

        var text = workspace.Engine.GetEntryPoint<Func<string>>("greeter", "Text");

        Assert.Equal("hello from the host", text.Current());
    }

    [Fact]
    public async Task StoppingTheHostRunsUnloadHooks()
    {
        await using var workspace = new HostedWorkspace();
        var marker = workspace.PathOf("../" + Path.GetFileName(workspace.Root) + ".unloaded");
        workspace.Write("hooked.cs", $$"""
            public sealed class Hooked : IModule
            {
                public ValueTask OnUnloadAsync(IModuleContext context)
                {
                    File.WriteAllText(@"{{marker}}", "bye");
                    return ValueTask.CompletedTask;
                }
            }
            """);
        await workspace.StartAsync();

        await workspace.StopAsync();

        try
        {
            Assert.Equal("bye", File.ReadAllText(marker));
        }
        finally
        {
            File.Delete(marker);
        }
    }
}
