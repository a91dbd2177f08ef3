using Molt.Compilation;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>The on-disk cache of compiled modules (<see cref="MoltOptions.CompilationCachePath"/>).</summary>
public sealed class CompilationCacheTests : IDisposable
{
    private const string Core = """
        namespace Core;
        public static class Text
        {
            public static string Shout(string s) => s.ToUpperInvariant() + "!";
        }
        """;

    // Declares an unused variable: warning CS0219, which a cache hit must report too.
    private const string App = """
        [assembly: DependsOn("core")]
        public static class App
        {
            [Export] public static string Greet(string name)
            {
                var unused = 1;
                return Core.Text.Shout("hello " + name);
            }
        }
        """;

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "molt-tests", "cache-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public async Task ASecondEngineOnTheSameSourcesLoadsEveryModuleFromTheCacheWithItsWarnings()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        var app = workspace.Write("app.cs", App);

        var first = await workspace.StartAsync(o => o.CompilationCachePath = _cache);
        var compiled = first.Manifest.LastReload!;
        Assert.All(compiled.Changes, c => Assert.False(c.FromCache));
        var warning = Assert.Single(compiled.Diagnostics, d => d.Id == "CS0219");
        await first.DisposeAsync();
        Assert.Equal(2, Directory.GetFiles(_cache, "*.molt").Length);

        var second = await workspace.StartAsync(o => o.CompilationCachePath = _cache);
        var cached = second.Manifest.LastReload!;
        Assert.True(cached.Succeeded, cached.Error);
        Assert.Equal(["core", "app"], cached.Changes.Where(c => c.FromCache).Select(c => c.Module));
        Assert.Equal(warning, Assert.Single(cached.Diagnostics, d => d.Id == "CS0219"));
        Assert.Equal(app, warning.File);
        Assert.Equal("HELLO ANN!", second.GetEntryPoint<Func<string, string>>("app", "Greet").Current("ann"));
    }

    [Fact]
    public async Task ModulesLoadedFromTheCacheGetTheirCompilationsBuiltInTheBackgroundForTheNextEdit()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("app.cs", App);
        await (await workspace.StartAsync(o => o.CompilationCachePath = _cache)).DisposeAsync();

        var engine = await workspace.StartAsync(o => o.CompilationCachePath = _cache);
        await engine.Priming.WaitAsync(TestTimeouts.Reload);

        var core = engine.CompilationOf("core");
        var app = engine.CompilationOf("app");
        Assert.NotNull(core);
        Assert.NotNull(app);
        Assert.Empty(app.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));

        workspace.Write("app.cs", App.Replace("\"hello \"", "\"hi \""));
        var result = await engine.ReloadAsync();
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("HI ANN!", engine.GetEntryPoint<Func<string, string>>("app", "Greet").Current("ann"));
        Assert.False(Assert.Single(result.Changes).FromCache);
        Assert.NotSame(app, engine.CompilationOf("app"));
    }

    [Fact]
    public async Task AnEditIsCompiledAndDependentsFollowTheirDependencysImage()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("app.cs", App);
        await (await workspace.StartAsync(o => o.CompilationCachePath = _cache)).DisposeAsync();

        var engine = await workspace.StartAsync(o => o.CompilationCachePath = _cache);
        var greet = engine.GetEntryPoint<Func<string, string>>("app", "Greet");

        // Edited, with a new public member: core is compiled, and app (whose dependency changed
        // its API) is compiled against core's new image.
        workspace.Write("core.cs", Core.Replace("+ \"!\";", "+ \"?\";\n    public static int Twice(int x) => 2 * x;"));
        var edited = await engine.ReloadAsync();
        Assert.True(edited.Succeeded, edited.Error);
        Assert.Equal([("core", false), ("app", false)], edited.Changes.Select(c => (c.Module, c.FromCache)));
        Assert.Equal("HELLO ANN?", greet.Current("ann"));

        // Reverted: both images are the ones compiled first, and app's key names core's first image.
        workspace.Write("core.cs", Core);
        var reverted = await engine.ReloadAsync();
        Assert.True(reverted.Succeeded, reverted.Error);
        Assert.Equal([("core", true), ("app", true)], reverted.Changes.Select(c => (c.Module, c.FromCache)));
        Assert.Equal("HELLO ANN!", greet.Current("ann"));
    }

    [Fact]
    public async Task ADamagedEntryIsDeletedAndTheModuleCompiledAgain()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        await (await workspace.StartAsync(o => o.CompilationCachePath = _cache)).DisposeAsync();
        var entry = Assert.Single(Directory.GetFiles(_cache, "*.molt"));
        var bytes = File.ReadAllBytes(entry);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(entry, bytes);

        var engine = await workspace.StartAsync(o => o.CompilationCachePath = _cache);

        var result = engine.Manifest.LastReload!;
        Assert.True(result.Succeeded, result.Error);
        Assert.False(Assert.Single(result.Changes).FromCache);
        Assert.NotNull(CompilationCache.Decode(File.ReadAllBytes(Assert.Single(Directory.GetFiles(_cache, "*.molt")))));
    }

    [Fact]
    public async Task ACacheDirectoryOtherUsersCanWriteToIsNotUsed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        Directory.CreateDirectory(_cache);
        File.SetUnixFileMode(_cache, (UnixFileMode)0b111_111_111);

        for (var i = 0; i < 2; i++)
        {
            var engine = await workspace.StartAsync(o => o.CompilationCachePath = _cache);
            Assert.False(Assert.Single(engine.Manifest.LastReload!.Changes).FromCache);
            await engine.DisposeAsync();
        }

        Assert.Empty(Directory.GetFiles(_cache));
    }

    [Fact]
    public async Task ACacheInsideAModuleDirectoryIsRefusedUnlessItsFolderIsSkippedByScans()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);

        var error = Assert.Throws<InvalidOperationException>(() => workspace.CreateEngine(o => o.CompilationCachePath = workspace.PathOf("cache")));
        Assert.Contains("inside the module directory", error.Message);

        // A dot folder is skipped by scans and watchers, so it may hold the cache.
        var engine = await workspace.StartAsync(o => o.CompilationCachePath = workspace.PathOf(".molt/cache"));
        Assert.Equal(["core"], engine.Manifest.Modules.Select(m => m.Name));
        Assert.Single(Directory.GetFiles(workspace.PathOf(".molt/cache"), "*.molt"));
        Assert.True((await engine.ReloadAsync()).Succeeded);
    }

    [Fact]
    public void AnEntryRoundTripsAndAnyFlippedByteIsDetected()
    {
        var entry = new CachedCompile("Molt.Modules.x", [1, 2, 3, 4], [5, 6], "ab12", [new CachedWarning("/m/x.cs", 3, 9, "CS0219", "unused")]);
        var bytes = CompilationCache.Encode(entry);

        var decoded = CompilationCache.Decode(bytes);
        Assert.NotNull(decoded);
        Assert.Equal(entry.Image, decoded.Image);
        Assert.Equal(entry.Pdb, decoded.Pdb);
        Assert.Equal("ab12", decoded.ApiHash);
        Assert.Equal(entry.Warnings, decoded.Warnings);

        for (var i = 0; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x01;
            Assert.Null(CompilationCache.Decode(damaged));
        }

        Assert.Null(CompilationCache.Decode(bytes[..^1]));
        Assert.Null(CompilationCache.Decode([]));
    }
}
