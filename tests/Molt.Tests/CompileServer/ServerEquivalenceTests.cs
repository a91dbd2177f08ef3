using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// The compile server's image is the in-process compiler's: two engines on the same modules, one
/// compiling through a real server process over its socket, one in-process, go through a corpus
/// of edits and must agree on every step (success, diagnostics with file and line, exports,
/// behaviour, and the image bytes themselves).
/// </summary>
public sealed class ServerEquivalenceTests
{
    private const string Util = """
        public static class Util
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static readonly (string Step, string File, string? Content)[] s_corpus =
    [
        ("body edit", "calc.cs", Calc("Util.Twice(5) + 1")),
        ("structural edit", "calc.cs", Calc("new Box(Util.Twice(3)).Value", "public sealed record Box(int Value);", "[Export] public static string Name() => nameof(Box);")),
        ("compile error", "calc.cs", Calc("Missing(1)")),
        ("warning", "calc.cs", Calc("Util.Twice(7)", extraMember: "[Export] public static int Warn() { int unused = 3; return 1; }")),
        ("persistent static", "calc.cs", Calc("++s_count", extraMember: "[Persistent] private static int s_count;")),
        ("dependency API change", "util.cs", Util.Replace("Twice", "Thrice").Replace("x * 2", "x * 3")),
        ("dependent follows", "calc.cs", Calc("Util.Thrice(4)")),
        ("process exit refused", "calc.cs", Calc("Exit()", extraMember: "private static int Exit() { Environment.Exit(1); return 0; }")),
        ("folder module", "multi/a.cs", "public static class A { [Export] public static string Hello() => B.Name; }"),
        ("folder module, second file", "multi/b.cs", "internal static class B { public const string Name = \"b\"; }"),
        ("syntax error", "calc.cs", Calc("1 +")),
        ("back to good", "calc.cs", Calc("Util.Thrice(1)")),
    ];

    private static string Calc(string value, string extraType = "", string extraMember = "") => $$"""
        [assembly: DependsOn("util")]
        {{extraType}}
        public static class Calc
        {
            {{extraMember}}
            [Export] public static int Value() => {{value}};
        }
        """;

    [Fact]
    public async Task EveryEditOfTheCorpusGivesTheSameGenerationThroughTheServer()
    {
        using var rig = new ServerRig();
        await using var workspace = new ModuleWorkspace();
        workspace.Write("util.cs", Util);
        workspace.Write("calc.cs", Calc("Util.Twice(21)"));
        var remote = await workspace.StartAsync(o => rig.Configure(o));
        var local = await workspace.StartAsync();
        AssertSame(remote, local, "start");

        foreach (var (step, file, content) in s_corpus)
        {
            workspace.Write(file, content!);
            var fromServer = await remote.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            var inProcess = await local.ReloadAsync().WaitAsync(TestTimeouts.Reload);

            Assert.True(fromServer.Succeeded == inProcess.Succeeded, $"{step}: {fromServer.Error} / {inProcess.Error}");
            Assert.Equal(Describe(inProcess.Diagnostics), Describe(fromServer.Diagnostics));
            AssertSame(remote, local, step);
        }

        var client = remote.CompileServerClient!;
        Assert.Null(client.Disabled);
        Assert.True(client.FellBack == 0, client.LastFallback);
        Assert.True(client.Answered >= s_corpus.Length, $"{client.Answered} compiles answered");
        Assert.Contains(s_corpus, s => s.Step == "compile error");
    }

    [Fact]
    public async Task ACompileErrorFromTheServerHasTheFileAndLine()
    {
        using var rig = new ServerRig();
        await using var workspace = new ModuleWorkspace();
        workspace.Write("util.cs", Util);
        workspace.Write("calc.cs", Calc("1"));
        var engine = await workspace.StartAsync(o => rig.Configure(o));

        workspace.Write("calc.cs", Calc("Missing(1)"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("CS0103", workspace.PathOf("calc.cs"), 6, 43), (error.Id, error.File, error.Line, error.Column));
        Assert.Equal("calc", error.Module);
        Assert.True(engine.CompileServerClient!.Answered >= 2);
    }

    private static string[] Describe(IEnumerable<ModuleDiagnostic> diagnostics) =>
        [.. diagnostics.Select(d => $"{d.Module}|{d.File}|{d.Line}|{d.Column}|{d.Id}|{d.Severity}|{d.Message}")];

    private static void AssertSame(MoltEngine remote, MoltEngine local, string step)
    {
        var (a, b) = (remote.Manifest.Modules, local.Manifest.Modules);
        Assert.Equal(b.Select(m => (m.Name, m.Generation, string.Join(',', m.Exports))), a.Select(m => (m.Name, m.Generation, string.Join(',', m.Exports))));
        foreach (var module in b)
        {
            Assert.True(local.ImageOf(module.Name).AsSpan().SequenceEqual(remote.ImageOf(module.Name)), $"{step}: the images of {module.Name} differ");
        }

        if (b.Any(m => m.Name == "calc"))
        {
            Assert.Equal(
                local.GetEntryPoint<Func<int>>("calc", "Value").Current(),
                remote.GetEntryPoint<Func<int>>("calc", "Value").Current());
        }
    }
}
