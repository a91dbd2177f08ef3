using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>After a switch the host's and framework's MetadataUpdateHandlers get the retired generation's types, so their caches let go of it.</summary>
[Collection(GlobalCachesCollection.Name)]
public sealed class CacheClearingTests
{
    private const string Saver = """
        public sealed class Room { public string Name { get; set; } = "hall"; public int Version { get; set; } = VERSION; }

        public static class Saver
        {
            // The host's options cache a JsonTypeInfo<Room> (and so the type) for as long as the host lives.
            [Export] public static string Save() => System.Text.Json.JsonSerializer.Serialize(new Room(), Molt.Tests.Infrastructure.HostJson.Options);
        }
        """;

    [Fact]
    public async Task AModuleTypeCachedByTheHostsJsonOptionsNoLongerKeepsItsRetiredGenerationInMemory()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("saver.cs", Saver.Replace("VERSION", "1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync();
        var save = engine.GetEntryPoint<Func<string>>("saver", "Save");
        var leaked = 0;
        engine.GenerationLeaked += (_, _) => Interlocked.Increment(ref leaked);
        Assert.Equal("""{"Name":"hall","Version":1}""", save.Current());

        workspace.Write("saver.cs", Saver.Replace("VERSION", "2", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("""{"Name":"hall","Version":2}""", save.Current());

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Equal(0, leaked);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task WithoutTheHandlersTheSameCacheLeaksTheGenerationAndTheReportNamesTheHostsStaticField()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("saver.cs", Saver.Replace("VERSION", "1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync(o =>
        {
            o.InvokeMetadataUpdateHandlers = false;
            o.UnloadVerificationTimeout = TimeSpan.FromMilliseconds(500);
            o.UnloadVerificationCollections = 4;
        });
        var report = new TaskCompletionSource<GenerationEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.GenerationLeaked += (_, e) => report.TrySetResult(e);
        engine.GetEntryPoint<Func<string>>("saver", "Save").Current();

        workspace.Write("saver.cs", Saver.Replace("VERSION", "2", StringComparison.Ordinal));
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        var leak = await report.Task.WaitAsync(TestTimeouts.Verification);

        Assert.Equal(("saver", 1), (leak.Module, leak.Generation));
        Assert.Contains("static field Molt.Tests.Infrastructure.HostJson.Options (assembly Molt.Tests)", leak.Message);

        // What the handlers would have done lets it go: System.Text.Json clears every options' cache.
        typeof(System.Text.Json.JsonSerializer).Assembly.GetType("System.Text.Json.JsonSerializerOptionsUpdateHandler")!
            .GetMethod("ClearCache")!.Invoke(null, [null]);
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.True(await CollectedAsync(engine), "the generation stayed in memory after System.Text.Json's cache was cleared");
    }

    [Fact]
    public async Task TheHandlersGetTheRetiredGenerationsTypesAndOneThatThrowsIsAWarningWhileTheNewGenerationServes()
    {
        const string Probe = "public static class HandlerProbeNAME { [Export] public static string Name() => \"NAME\"; }";
        await using var workspace = new ModuleWorkspace();
        workspace.Write("probe.cs", Probe.Replace("NAME", "Throw1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync();

        workspace.Write("probe.cs", Probe.Replace("NAME", "Quiet2", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Quiet2", engine.GetEntryPoint<Func<string>>("probe", "Name").Current());
        var warning = Assert.Single(result.Diagnostics, d => d.Id == MoltDiagnosticIds.MetadataUpdateHandlerFailed);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("ProbeUpdateHandler.ClearCache (Molt.Tests) threw InvalidOperationException: the probe's cache is broken", warning.Message);

        // The retired generation's types (the probe and the compiler's own), ClearCache first; UpdateApplication still runs.
        var calls = ProbeUpdateHandler.Calls.Where(c => c.Contains(":HandlerProbeThrow1:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ClearCache", "UpdateApplication"], calls.Select(c => c.Split(':')[0]));
        Assert.DoesNotContain(ProbeUpdateHandler.Calls, c => c.Contains("Quiet2", StringComparison.Ordinal));
    }

    private static async Task<bool> CollectedAsync(MoltEngine engine)
    {
        // Bounded by time, not by a count of collections: an unloading context needs several
        // collections with its finalizers run in between, which a loaded machine schedules late.
        var deadline = DateTime.UtcNow + TestTimeouts.Verification;
        while (engine.Manifest.RetiredAlive.Count > 0 && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }

        return engine.Manifest.RetiredAlive.Count == 0;
    }
}
