using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Packages;

/// <summary>
/// The conflict rule: an assembly the host has resolves to the host's copy when the host's version
/// is the same or higher, and to the module's own copy, loaded privately, when the module asks for a
/// higher one. The test host has Newtonsoft.Json 13 (the test platform's); a prebuilt module ships a
/// Newtonsoft.Json 14 of its own.
/// </summary>
public sealed class VersionConflictTests
{
    private const string Which = """
        public static class Entry
        {
            [Molt.Export] public static string Which()
            {
                var assembly = typeof(TYPE).Assembly;
                return assembly.GetName().Version + "|" + System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly)!.Name;
            }
        }
        """;

    [Fact]
    public async Task AHigherVersionThanTheHostsLoadsPrivatelyAndTheSameOrLowerResolvesToTheHost()
    {
        var hostJson = typeof(Newtonsoft.Json.JsonConvert).Assembly;
        Assert.True(hostJson.GetName().Version < new Version(14, 0), "the test host's Newtonsoft.Json is expected below 14");
        await using var workspace = new ModuleWorkspace();
        var newer = workspace.PathOf("newer");
        Directory.CreateDirectory(newer);
        // Public-signed with the real one's key: the same identity as a real Newtonsoft.Json 14 (the runtime does not check signatures).
        var ownJson = Build("Newtonsoft.Json", "[assembly: System.Reflection.AssemblyVersion(\"14.0.0.0\")] namespace Newtonsoft.Json { public static class Own { } }", [], Path.Combine(newer, "Newtonsoft.Json.dll"), hostJson.GetName().GetPublicKey());
        Build("newer", Which.Replace("TYPE", "Newtonsoft.Json.Own"), [ownJson], Path.Combine(newer, "newer.dll"));
        Build("older", Which.Replace("TYPE", "Newtonsoft.Json.JsonConvert"), [MetadataReference.CreateFromFile(hostJson.Location)], workspace.PathOf("older.dll"));

        var engine = await workspace.StartAsync();

        Assert.Equal("14.0.0.0|molt:newer#1", engine.GetEntryPoint<Func<string>>("newer", "Which").Current());
        Assert.Equal($"{hostJson.GetName().Version}|Default", engine.GetEntryPoint<Func<string>>("older", "Which").Current());
    }

    private static PortableExecutableReference Build(string name, string source, MetadataReference[] extra, string path, byte[]? publicKey = null)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => !p.Contains("testhost", StringComparison.OrdinalIgnoreCase) && Path.GetFileNameWithoutExtension(p) != "Newtonsoft.Json")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Concat(extra);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        if (publicKey is not null)
        {
            options = options.WithPublicSign(true).WithCryptoPublicKey([.. publicKey]);
        }

        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], references, options);
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        return MetadataReference.CreateFromFile(path);
    }
}
