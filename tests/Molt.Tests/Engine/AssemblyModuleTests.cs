using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class AssemblyModuleTests
{
    private const string Plugin = """
        namespace Plugin;
        public static class Entry
        {
            [Molt.Export] public static string Id() => "hello-plugin VERSION";
        }
        """;

    [Fact]
    public async Task APrebuiltAssemblyIsLoadedRebuiltInPlaceReloadedAndUnloadedWhenDeleted()
    {
        await using var workspace = new ModuleWorkspace();
        var dll = workspace.PathOf("hello.dll");
        Build(Plugin.Replace("VERSION", "1.0"), dll);
        var engine = await workspace.StartAsync();
        var id = engine.GetEntryPoint<Func<string>>("hello", "Id", fallback: () => "none");
        Assert.Equal("hello-plugin 1.0", id.Current());
        Assert.Equal(ModuleKind.Assembly, engine.Manifest.Modules.Single().Kind);

        // Rebuilt in place while loaded: the file is never locked, the bytes were read.
        Build(Plugin.Replace("VERSION", "1.1"), dll);
        var result = await engine.ReloadAsync();
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("hello-plugin 1.1", id.Current());

        File.Delete(dll);
        File.Delete(Path.ChangeExtension(dll, ".pdb"));
        Assert.True((await engine.ReloadAsync()).Succeeded);
        Assert.Equal("none", id.Current());
        Assert.Empty(engine.Manifest.Modules);
    }

    [Fact]
    public async Task AFileThatIsNotAnAssemblyIsReported()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("fake.dll", "this is not a PE file");
        var engine = workspace.CreateEngine();

        var ex = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync());

        var error = Assert.Single(ex.Result.Errors);
        Assert.Equal(("MOLT012", path), (error.Id, error.File));
    }

    private static void Build(string source, string path)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => !p.Contains("testhost", StringComparison.OrdinalIgnoreCase))
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "HelloPlugin",
            [CSharpSyntaxTree.ParseText(source, path: "Plugin.cs", encoding: System.Text.Encoding.UTF8)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var pe = File.Create(path);
        using var pdb = File.Create(Path.ChangeExtension(path, ".pdb"));
        var result = compilation.Emit(pe, pdb);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
    }
}
