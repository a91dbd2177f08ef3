using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class DependencyTests
{
    private const string Core = """
        namespace Core;
        public static class Text
        {
            public static string Shout(string s) => s.ToUpperInvariant() + "!";
        }
        """;

    private const string App = """
        [assembly: DependsOn("core")]
        public static class App
        {
            [Export] public static string Greet(string name) => Core.Text.Shout("hello " + name);
        }
        """;

    private const string Other = """
        public static class Other
        {
            [Export] public static int Answer() => 42;
        }
        """;

    [Fact]
    public async Task ChangingADependencyReloadsItsDependentsAndLeavesUnrelatedModulesAlone()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("app.cs", App);
        workspace.Write("other.cs", Other);
        var engine = await workspace.StartAsync();
        var greet = engine.GetEntryPoint<Func<string, string>>("app", "Greet");
        var answer = engine.GetEntryPoint<Func<int>>("other", "Answer");
        Assert.Equal("HELLO ANN!", greet.Current("ann"));

        // core loads before app even though "app" sorts first: dependencies come first.
        Assert.Equal(["core", "app", "other"], engine.Manifest.Modules.Select(m => m.Name));
        Assert.Equal(["core"], engine.Manifest.Modules.Single(m => m.Name == "app").Dependencies);

        workspace.Write("core.cs", Core.Replace("+ \"!\"", "+ \"?!\""));
        var result = await engine.ReloadAsync();

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            [("core", ModuleChangeKind.Changed), ("app", ModuleChangeKind.Dependent)],
            result.Changes.Select(c => (c.Module, c.Kind)));
        Assert.Equal("HELLO ANN?!", greet.Current("ann"));
        Assert.Equal(2, greet.Generation);

        // A body edit leaves core's API as it was: app's image is loaded again, not recompiled.
        Assert.True(result.Changes.Single(c => c.Module == "app").ReusedImage);
        Assert.False(result.Changes.Single(c => c.Module == "core").ReusedImage);
        Assert.Equal(1, answer.Generation);
        Assert.Equal(1, engine.Manifest.Modules.Single(m => m.Name == "other").Generation);
    }

    [Fact]
    public async Task DependentsAreRecompiledWhenADependencysApiOrConstantsChange()
    {
        const string Marked = """
            namespace Core;
            public static class Text
            {
                public const string Mark = "!";
                public static string Shout(string s) => s.ToUpperInvariant();
            }
            """;
        const string UsesMark = """
            [assembly: DependsOn("core")]
            public static class App
            {
                [Export] public static string Greet(string name) => Core.Text.Shout("hello " + name) + Core.Text.Mark;
            }
            """;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Marked);
        workspace.Write("app.cs", UsesMark);
        var engine = await workspace.StartAsync();
        var greet = engine.GetEntryPoint<Func<string, string>>("app", "Greet");
        Assert.Equal("HELLO ANN!", greet.Current("ann"));

        // A constant is compiled into its users: changing it must recompile app.
        workspace.Write("core.cs", Marked.Replace("Mark = \"!\"", "Mark = \"?\""));
        var constant = await engine.ReloadAsync();
        Assert.True(constant.Succeeded, constant.Error);
        Assert.False(constant.Changes.Single(c => c.Module == "app").ReusedImage);
        Assert.Equal("HELLO ANN?", greet.Current("ann"));

        // A new public member changes the API: app is recompiled too.
        workspace.Write("core.cs", Marked.Replace("Mark = \"!\"", "Mark = \"?\"").Replace("public static string Shout", "public static int Length(string s) => s.Length;\n    public static string Shout"));
        var api = await engine.ReloadAsync();
        Assert.True(api.Succeeded, api.Error);
        Assert.False(api.Changes.Single(c => c.Module == "app").ReusedImage);

        // A private change is not part of the API: app is not recompiled, and runs the new body.
        workspace.Write("core.cs", Marked.Replace("Mark = \"!\"", "Mark = \"?\"").Replace("public static string Shout", "public static int Length(string s) => s.Length;\n    private static int s_calls;\n    public static string Shout").Replace("s.ToUpperInvariant();", "s.ToUpperInvariant() + (++s_calls > 0 ? \"\" : \"\") + \"~\";"));
        var body = await engine.ReloadAsync();
        Assert.True(body.Succeeded, body.Error);
        Assert.True(body.Changes.Single(c => c.Module == "app").ReusedImage);
        Assert.Equal("HELLO ANN~?", greet.Current("ann"));
    }

    [Fact]
    public async Task ABreakingChangeInADependencyFailsTheReloadWithTheDependentsErrors()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        var app = workspace.Write("app.cs", App);
        var engine = await workspace.StartAsync();
        var greet = engine.GetEntryPoint<Func<string, string>>("app", "Greet");

        workspace.Write("core.cs", Core.Replace("Shout(string s)", "Shout(string s, int times)"));
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.File == app && e.Line == 4 && e.Id == "CS7036");
        Assert.Equal("HELLO BO!", greet.Current("bo"));
    }

    [Fact]
    public async Task IndependentModulesCompileTogetherAndReportTheirErrorsInLoadOrder()
    {
        await using var workspace = new ModuleWorkspace();
        for (var i = 0; i < 8; i++)
        {
            workspace.Write($"m{i}.cs", $$"""public static class M{{i}} { [Export] public static int Value() => {{i}}; }""");
        }

        workspace.Write("top.cs", "[assembly: DependsOn(\"m3\")]\npublic static class Top { [Export] public static int Value() => M3.Value() * 10; }");
        var engine = await workspace.StartAsync();
        Assert.Equal(30, engine.GetEntryPoint<Func<int>>("top", "Value").Current());

        // Every module changes; m2, m3 and m6 break: each error is reported, in load order, and
        // top (which depends on m3) is not compiled.
        for (var i = 0; i < 8; i++)
        {
            var body = i is 2 or 3 or 6 ? "undefined" : (i + 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
            workspace.Write($"m{i}.cs", $$"""public static class M{{i}} { [Export] public static int Value() => {{body}}; }""");
        }

        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(["m2", "m3", "m6"], result.Errors.Select(e => e.Module));
        Assert.Contains(result.Diagnostics, d => d.Module == "top" && d.Id == "MOLT016");
        Assert.Equal(30, engine.GetEntryPoint<Func<int>>("top", "Value").Current());

        for (var i = 0; i < 8; i++)
        {
            workspace.Write($"m{i}.cs", $$"""public static class M{{i}} { [Export] public static int Value() => {{i + 100}}; }""");
        }

        var fixedResult = await engine.ReloadAsync();
        Assert.True(fixedResult.Succeeded, fixedResult.Error);
        Assert.Equal(1030, engine.GetEntryPoint<Func<int>>("top", "Value").Current());
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i + 100), Enumerable.Range(0, 8).Select(i => engine.GetEntryPoint<Func<int>>($"m{i}", "Value").Current()));
    }

    [Fact]
    public async Task ACycleBetweenModulesIsReportedAndNothingChanges()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("app.cs", App);
        var engine = await workspace.StartAsync();
        var greet = engine.GetEntryPoint<Func<string, string>>("app", "Greet");

        workspace.Write("core.cs", "[assembly: DependsOn(\"app\")]\n" + Core);
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("MOLT013", error.Id);
        Assert.Contains("app, core", error.Message);
        Assert.Equal("HELLO CY!", greet.Current("cy"));
    }

    [Fact]
    public async Task ADependencyOnAMissingModuleIsReportedAtTheAttribute()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("app.cs", "[assembly: DependsOn(\"nowhere\")]\npublic static class App { }");
        var engine = workspace.CreateEngine();

        var ex = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync());

        var error = Assert.Single(ex.Result.Errors);
        Assert.Equal(("MOLT014", path, 1), (error.Id, error.File, error.Line));
        Assert.Contains("no module named 'nowhere'", error.Message);
    }
}
