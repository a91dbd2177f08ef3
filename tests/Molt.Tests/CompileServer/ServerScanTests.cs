using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// Planning reads each changed module's dependencies and packages before anything compiles. With a
/// compile server the server reads them (it parses), so the host parses nothing: the facts and the
/// problems it reports must be exactly the in-process ones, with file and line, on a corpus of
/// broken declarations and undecodable files.
/// </summary>
public sealed class ServerScanTests
{
    private const string Util = "public static class Util { public static int Twice(int x) => x * 2; }";

    private static readonly (string Step, string File, string Content)[] s_corpus =
    [
        ("unknown dependency", "calc.cs", Calc("""[assembly: DependsOn("nosuch")]""")),
        ("depends on itself", "calc.cs", Calc("""[assembly: DependsOn("calc")]""")),
        ("malformed package reference", "calc.cs", Calc("""[assembly: PackageReference("Not An Id!", "1.0.0")]""")),
        ("package reference not literals", "calc.cs", Calc("""[assembly: PackageReference("Humanizer.Core" + "", "2.14.1")]""")),
        ("one package, two versions", "calc.cs", Calc("""[assembly: PackageReference("Humanizer.Core", "2.14.1")] [assembly: PackageReference("humanizer.core", "2.13.0")]""")),
        ("instance field marked persistent", "calc.cs", Calc(string.Empty, "[Persistent] private int _count;")),
        ("dependency cycle", "util.cs", """[assembly: DependsOn("calc")] """ + Util),
        ("cycle broken", "util.cs", Util),
        ("dependency in a folder module's second file", "multi/b.cs", """[assembly: DependsOn("util")] internal static class B { public static int N => Util.Twice(2); }"""),
        ("back to good", "calc.cs", Calc(string.Empty)),
    ];

    private static string Calc(string attributes, string member = "") => $$"""
        [assembly: DependsOn("util")]
        {{attributes}}
        public static class Calc
        {
            {{member}}
            [Export] public static int Value() => Util.Twice(21);
        }
        """;

    [Fact]
    public async Task AHostWhoseCompilesGoToTheServerParsesNothing()
    {
        using var rig = new ServerRig();
        await using var workspace = Program();
        var engine = await workspace.StartAsync(o => rig.Configure(o));

        workspace.Write("util.cs", Util.Replace("x * 2", "x * 3"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(63, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Equal(["util", "calc"], result.Changes.Select(c => c.Module));
        var client = engine.CompileServerClient!;
        Assert.True(client.FellBack == 0, client.LastFallback);
        Assert.Equal(4, client.Scanned); // three at the start, util's edit
        Assert.Equal(0, engine.SyntaxTreesInProcess);
    }

    [Fact]
    public async Task PlanningProblemsFromTheServerAreTheInProcessOnes()
    {
        using var rig = new ServerRig();
        await using var workspace = Program();
        var remote = await workspace.StartAsync(o => rig.Configure(o));
        var local = await workspace.StartAsync();

        foreach (var (step, file, content) in s_corpus)
        {
            workspace.Write(file, content);
            await AssertSameAsync(remote, local, step);
        }

        // Bytes that are not UTF-8, or no text at all: refused before parsing, in both.
        File.WriteAllBytes(workspace.PathOf("calc.cs"), [.. "public static class Calc { string s = \""u8, 0xC3, 0x28, .. "\"; }"u8]);
        await AssertSameAsync(remote, local, "invalid UTF-8");
        workspace.Write("calc.cs", "  \n");
        await AssertSameAsync(remote, local, "empty file");

        var client = remote.CompileServerClient!;
        Assert.True(client.FellBack == 0, client.LastFallback);
        Assert.True(client.Scanned >= s_corpus.Length, $"{client.Scanned} scans");
        Assert.Equal(0, remote.SyntaxTreesInProcess);
    }

    /// <summary>Three modules: util, calc (depends on util) and a folder module.</summary>
    private static ModuleWorkspace Program()
    {
        var workspace = new ModuleWorkspace();
        workspace.Write("util.cs", Util);
        workspace.Write("calc.cs", Calc(string.Empty));
        workspace.Write("multi/a.cs", "public static class A { [Export] public static int Value() => 7; }");
        return workspace;
    }

    private static async Task AssertSameAsync(MoltEngine remote, MoltEngine local, string step)
    {
        var fromServer = await remote.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        var inProcess = await local.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(fromServer.Succeeded == inProcess.Succeeded, $"{step}: {fromServer.Error} / {inProcess.Error}");
        Assert.Equal(Describe(inProcess.Diagnostics), Describe(fromServer.Diagnostics));
        if (step is not ("cycle broken" or "dependency in a folder module's second file" or "back to good"))
        {
            // A broken declaration is reported where it is written; an undecodable file, as a file.
            Assert.Contains(fromServer.Errors, e => e.File is not null && (e.Line > 0 || step is "invalid UTF-8" or "empty file"));
        }
    }

    private static string[] Describe(IEnumerable<ModuleDiagnostic> diagnostics) =>
        [.. diagnostics.Select(d => $"{d.Module}|{d.File}|{d.Line}|{d.Column}|{d.Id}|{d.Severity}|{d.Message}")];
}
