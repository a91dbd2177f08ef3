using System.Globalization;
using System.Text;
using Molt.Compilation;
using Molt.Tests.Delta;

namespace Molt.Tests.Engine;

/// <summary>Tests that change whether this process counts its delta path as jitted run alone: other tests' body edits depend on it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeltaPathStateCollection
{
    public const string Name = "delta path state";
}

/// <summary>
/// The first delta of a process jits the edit-and-continue emit and the merge (hundreds of ms); until
/// some delta has been merged in the process (the engine's background warm-up edit does one), an edit
/// of a small module is compiled whole, which costs less, and says why. Large modules take the delta path at once.
/// </summary>
[Collection(DeltaPathStateCollection.Name)]
public sealed class ColdDeltaPathTests
{
    [Fact]
    public void UntilADeltaWasMergedInTheProcessASmallModuleIsCompiledWholeAndALargeOneIsNot()
    {
        ModuleCompiler.ForgetDeltaPathJitted();
        var compiler = new ModuleCompiler(new MoltOptions()); // WarmUpCompiler is on, as in an engine
        var small = new Module(compiler, methods: 3);
        small.Compile(version: 1);

        var cold = small.Compile(version: 2);
        Assert.False(cold.MergedDelta);
        Assert.Contains("still being prepared", cold.DeltaRefused, StringComparison.Ordinal);

        var large = new Module(compiler, methods: 2_500);
        large.Compile(version: 1);
        var largeEdit = large.Compile(version: 2);
        Assert.True(largeEdit.MergedDelta, largeEdit.DeltaRefused);
        Assert.True(ModuleCompiler.DeltaPathJitted);

        var warm = small.Compile(version: 3);
        Assert.True(warm.MergedDelta, warm.DeltaRefused);
    }

    [Fact]
    public void TheWarmUpEditTakesTheDeltaPathAndMarksItJitted()
    {
        ModuleCompiler.ForgetDeltaPathJitted();

        Assert.True(new ModuleCompiler(new MoltOptions()).WarmUpEdit());
        Assert.True(ModuleCompiler.DeltaPathJitted);
    }

    [Fact]
    public void WithTheWarmUpOffEveryBodyEditTakesTheDeltaPath()
    {
        ModuleCompiler.ForgetDeltaPathJitted();
        var small = new Module(new ModuleCompiler(new MoltOptions { WarmUpCompiler = false }), methods: 3);
        small.Compile(version: 1);

        var edit = small.Compile(version: 2);

        Assert.True(edit.MergedDelta, edit.DeltaRefused);
    }

    /// <summary>A one-file folder module of <c>methods</c> methods; each version changes the first one's body only.</summary>
    private sealed class Module(ModuleCompiler compiler, int methods)
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "molt-cold-delta-" + Guid.NewGuid().ToString("N")[..8], "app");
        private CompiledModule? _previous;

        public CompiledModule Compile(int version)
        {
            var text = new StringBuilder("public static class Many\n{\n");
            text.Append(CultureInfo.InvariantCulture, $"    [Export] public static int Value() {{ return {version}; }}\n");
            for (var i = 0; i < methods; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"    public static int Method{i}(int x) {{ return x * {i} + {i % 7}; }}\n");
            }

            var source = DeltaOracle.FolderSource(_root, new Dictionary<string, string> { ["many.cs"] = text.Append("}\n").ToString() });
            List<ModuleDiagnostic> diagnostics = [];
            var facts = compiler.ReadFacts(source, diagnostics) ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
            _previous = compiler.Compile(new CompileRequest(source, facts, [], _previous, false), diagnostics)
                ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
            return _previous;
        }
    }
}
