using Molt.Compilation;

namespace Molt.Tests.Stages;

/// <summary>The compile stage alone: a plan in, images or diagnostics out.</summary>
public sealed class CompileStageTests
{
    [Fact]
    public async Task ADependentOfAModuleThatFailsIsNotCompiledAndSaysWhy()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("core.cs", "public static class Core { public static int V => ; }");
        stages.Workspace.Write("app.cs", "[assembly: DependsOn(\"core\")]\npublic static class App { public static int W => Core.V; }");
        stages.Workspace.Write("solo.cs", "public static class Solo { }");

        var output = await new CompileStage(stages.Compiler).CompileAsync(await stages.PlanAsync());

        Assert.False(output.Succeeded);
        Assert.Contains(output.Diagnostics, d => d.Module == "core" && d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CS", StringComparison.Ordinal));
        var skipped = Assert.Single(output.Diagnostics, d => d.Module == "app");
        Assert.Equal(MoltDiagnosticIds.DependencyFailed, skipped.Id);
        Assert.DoesNotContain(output.Diagnostics, d => d.Module == "solo");
    }

    [Fact]
    public async Task EveryPlannedModuleGetsAnImageAndADependedOnModuleAnApiHash()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("core.cs", "public static class Core { public static int V => 1; }");
        stages.Workspace.Write("app.cs", "[assembly: DependsOn(\"core\")]\npublic static class App { public static int W => Core.V; }");

        var output = await new CompileStage(stages.Compiler).CompileAsync(await stages.PlanAsync());

        Assert.True(output.Succeeded);
        Assert.NotNull(output.Images!["core"].ApiHash);
        Assert.Null(output.Images["app"].ApiHash);
        Assert.All(output.Images.Values, i => Assert.NotEmpty(i.Image));
    }
}
