using Molt.Compilation;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// What planning reads of a module's sources (its dependencies, packages and their problems) is
/// kept in the compilation cache beside the images: a start on sources read before neither parses
/// them nor asks a compile server, and plans exactly as a start that parsed.
/// </summary>
public sealed class CachedFactsTests : IDisposable
{
    private const string Core = "namespace Core; public static class Text { public static string Shout(string s) => s.ToUpperInvariant() + \"!\"; }";

    private const string App = """
        [assembly: DependsOn("core")]
        public static class App
        {
            [Export] public static string Greet(string name) => Core.Text.Shout("hello " + name);
        }
        """;

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "molt-tests", "facts-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public async Task ARestartOnCachedSourcesParsesNothing()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("app.cs", App);
        await (await workspace.StartAsync(Cached)).DisposeAsync();
        Assert.Equal(2, Directory.GetFiles(_cache, "*.facts").Length);

        var engine = await workspace.StartAsync(Cached);

        var start = engine.Manifest.LastReload!;
        Assert.True(start.Succeeded, start.Error);
        Assert.Equal([("core", true), ("app", true)], start.Changes.Select(c => (c.Module, c.FromCache)));
        Assert.Equal("HELLO ANN!", engine.GetEntryPoint<Func<string, string>>("app", "Greet").Current("ann"));
        Assert.Equal(0, engine.SyntaxTreesInProcess);

        // An edit is parsed (and its facts kept) as before.
        workspace.Write("app.cs", App.Replace("hello ", "hi "));
        var edit = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(edit.Succeeded, edit.Error);
        Assert.Equal("HI ANN!", engine.GetEntryPoint<Func<string, string>>("app", "Greet").Current("ann"));
        Assert.Equal(3, Directory.GetFiles(_cache, "*.facts").Length);
    }

    [Fact]
    public async Task CachedProblemsAreReportedAsParsedOnes()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("app.cs", "[assembly: DependsOn(\"nosuch\")]\n[assembly: PackageReference(\"Not An Id!\", \"1.0\")]\n" + App);
        var parsed = await Assert.ThrowsAsync<MoltReloadException>(() => workspace.CreateEngine(Cached).StartAsync());

        var engine = workspace.CreateEngine(Cached);
        var cached = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync());

        Assert.Equal(parsed.Message, cached.Message);
        Assert.Contains($"{workspace.PathOf("app.cs")}(1,12): error MOLT014", cached.Message);
        Assert.Contains($"{workspace.PathOf("app.cs")}(2,12): error MOLT009", cached.Message);
        Assert.Equal(0, engine.SyntaxTreesInProcess);
    }

    [Fact]
    public async Task ADamagedFactsEntryIsDeletedAndTheModuleParsed()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        await (await workspace.StartAsync(Cached)).DisposeAsync();
        var entry = Assert.Single(Directory.GetFiles(_cache, "*.facts"));
        var bytes = File.ReadAllBytes(entry);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(entry, bytes);

        var engine = await workspace.StartAsync(Cached);

        var result = engine.Manifest.LastReload!;
        Assert.True(result.Succeeded, result.Error);
        Assert.True(engine.SyntaxTreesInProcess > 0);
        Assert.NotNull(CachedFacts.Decode(File.ReadAllBytes(Assert.Single(Directory.GetFiles(_cache, "*.facts"))), "core"));
    }

    // Priming would parse cached modules in the background for their next edit: off, so what the start itself parsed shows.
    private void Cached(MoltOptions options) => (options.CompilationCachePath, options.WarmUpCompiler) = (_cache, false);
}
