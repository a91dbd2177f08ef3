using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// Body edits of a folder module through the engine: the reload says it merged a delta, the new
/// code serves, stack traces point at the edited lines, an edit the merge cannot reproduce is
/// compiled whole with its reason, and merged generations unload like any other.
/// </summary>
public sealed class PartialCompileTests
{
    private const string Values = """
        public static class Values
        {
            [Export] public static int Value() => VALUE;

            [Export] public static string Where()
            {
                PADDING
                try { Boom.Throw(); return "no"; }
                catch (System.Exception e) { return e.StackTrace ?? "none"; }
            }
        }
        """;

    private const string Boom = """
        public static class Boom
        {
            public static void Throw()
            {
                throw new System.InvalidOperationException("boom");
            }
        }
        """;

    [Fact]
    public async Task ABodyEditIsMergedAndServesTheNewCodeWithTheRightLines()
    {
        await using var workspace = new ModuleWorkspace();
        Write(workspace, 1, padding: 0);
        workspace.Write("app/boom.cs", Boom);
        var engine = await workspace.StartAsync();
        await engine.Priming.WaitAsync(TestTimeouts.Reload); // until the delta path is jitted, a small module compiles whole
        var value = engine.GetEntryPoint<Func<int>>("app", "Value");
        var where = engine.GetEntryPoint<Func<string>>("app", "Where");

        for (var version = 2; version <= 6; version++)
        {
            // Lines added above the try: Where's own lines move, Boom's (another file) do not.
            Write(workspace, version, padding: version);
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

            Assert.True(result.Succeeded, result.Error);
            var change = result.Changes.Single(c => c.Module == "app");
            Assert.True(change.PartialCompile, change.WholeCompileReason);
            Assert.Null(change.WholeCompileReason);
            Assert.Equal(version, value.Current());
            var trace = where.Current();
            Assert.Contains($"boom.cs:line 5", trace, StringComparison.Ordinal);
            Assert.Contains($"values.cs:line {8 + version}", trace, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnEditOutsideBodiesIsCompiledWholeAndSaysWhy()
    {
        await using var workspace = new ModuleWorkspace();
        Write(workspace, 1, padding: 0);
        workspace.Write("app/boom.cs", Boom);
        var engine = await workspace.StartAsync();

        workspace.Write("app/boom.cs", Boom.Replace("public static void Throw()", "public static int Added => 1;\n    public static void Throw()", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        var change = result.Changes.Single(c => c.Module == "app");
        Assert.False(change.PartialCompile);
        Assert.Contains("boom.cs' changed outside method bodies", change.WholeCompileReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergedGenerationsUnloadLikeAnyOther()
    {
        await using var workspace = new ModuleWorkspace();
        Write(workspace, 1, padding: 0);
        workspace.Write("app/boom.cs", Boom);
        var engine = await workspace.StartAsync();
        await engine.Priming.WaitAsync(TestTimeouts.Reload);
        var value = engine.GetEntryPoint<Func<int>>("app", "Value");
        for (var version = 2; version <= 12; version++)
        {
            Write(workspace, version, padding: 0);
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Changes.Single().PartialCompile, result.Changes.Single().WholeCompileReason);
            Assert.Equal(version, value.Current());
        }

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task AnEditOfAModuleLoadedFromTheCacheKeepsTheWarningsOfTheFilesItDidNotTouch()
    {
        var cache = Path.Combine(Path.GetTempPath(), "molt-tests", "cache-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await using var workspace = new ModuleWorkspace();
            Write(workspace, 1, padding: 0);
            workspace.Write("app/boom.cs", Boom);
            workspace.Write("app/warn.cs", "public static class Warn { public static int F() { int never; return 1; } }");
            await (await workspace.StartAsync(o => o.CompilationCachePath = cache)).DisposeAsync();
            var engine = await workspace.StartAsync(o => o.CompilationCachePath = cache);
            await engine.Priming.WaitAsync(TestTimeouts.Reload);

            Write(workspace, 2, padding: 0);
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

            Assert.True(result.Succeeded, result.Error);
            Assert.True(result.Changes.Single().PartialCompile, result.Changes.Single().WholeCompileReason);
            Assert.Contains(result.Diagnostics, d => d.Id == "CS0168" && d.File!.EndsWith("warn.cs", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }

    private static void Write(ModuleWorkspace workspace, int version, int padding) =>
        workspace.Write("app/values.cs", Values
            .Replace("VALUE", version.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("PADDING", string.Concat(Enumerable.Repeat("_ = 0;\n        ", padding)), StringComparison.Ordinal));

    [Fact]
    public void TheWarmUpEditGoesThroughTheDeltaPath()
    {
        // Otherwise the first real edit after start would jit the delta emit and the merge itself.
        Assert.True(new Molt.Compilation.ModuleCompiler(new MoltOptions { WarmUpCompiler = false }).WarmUpEdit());
        Assert.False(new Molt.Compilation.ModuleCompiler(new MoltOptions { WarmUpCompiler = false, PartialCompiles = false }).WarmUpEdit());
    }
}
