using Molt.Compilation;
using Molt.Modules;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class CompilerCacheTests
{
    [Fact]
    public async Task TheCompilerForgetsTheTreesOfFilesThatAreGone()
    {
        await using var workspace = new ModuleWorkspace();
        for (var i = 0; i < 20; i++)
        {
            workspace.Write($"m{i:00}.cs", $"public static class M{i} {{ }}");
        }

        var options = new MoltOptions();
        options.ModuleDirectories.Add(workspace.Root);
        var scanner = new ModuleScanner(options);
        var compiler = new ModuleCompiler(options);
        foreach (var source in scanner.Scan([]))
        {
            Assert.NotNull(compiler.Parse(source, []));
        }

        Assert.Equal(20, compiler.CachedTrees);

        for (var i = 5; i < 20; i++)
        {
            workspace.Delete($"m{i:00}.cs");
        }

        compiler.Forget(scanner.Scan([]));

        Assert.Equal(5, compiler.CachedTrees);
    }
}
