namespace Molt.Tests.Stages;

/// <summary>The planner alone: a file set in, a plan out; nothing is compiled or loaded.</summary>
public sealed class ReloadPlannerTests
{
    [Fact]
    public async Task ModulesAreOrderedAfterTheirDependenciesWhateverTheirFileNames()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("a_app.cs", "[assembly: DependsOn(\"z_core\")]\npublic static class App { }");
        stages.Workspace.Write("m_tool.cs", "public static class Tool { }");
        stages.Workspace.Write("z_core.cs", "public static class Core { }");

        var plan = await stages.PlanAsync();

        Assert.False(plan.Failed);
        Assert.Equal(["m_tool", "z_core", "a_app"], plan.Ordered.ToArray());
        Assert.All(plan.Changes, c => Assert.Equal(ModuleChangeKind.Added, c.Kind));
        Assert.Equal(["z_core"], plan.Dependencies["a_app"].ToArray());
    }

    [Fact]
    public async Task ACycleIsADiagnosticNamingEveryModuleInIt()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("a.cs", "[assembly: DependsOn(\"b\")]\npublic static class A { }");
        stages.Workspace.Write("b.cs", "[assembly: DependsOn(\"a\")]\npublic static class B { }");

        var plan = await stages.PlanAsync();

        Assert.True(plan.Failed);
        var cycle = Assert.Single(plan.Diagnostics, d => d.Id == MoltDiagnosticIds.DependencyCycle);
        Assert.Contains("a, b", cycle.Message);
    }

    [Fact]
    public async Task AnEmptyFileSetPlansNothingAndAMissingDirectoryIsAScanError()
    {
        await using var stages = new StageFixture();
        var scan = stages.Planner.Scan(stages.Modules.Current);
        Assert.True(scan.IsEmpty);
        Assert.False(scan.Failed);

        stages.Options.ModuleDirectories.Add(Path.Combine(stages.Workspace.Root, "missing"));
        var missing = stages.Planner.Scan(stages.Modules.Current);
        Assert.True(missing.Failed);
        Assert.Equal(MoltDiagnosticIds.ModuleDirectoryMissing, Assert.Single(missing.Diagnostics).Id);
    }

    [Fact]
    public async Task AChangedModuleBringsItsDependentsAndLeavesOthersOut()
    {
        await using var stages = new StageFixture();
        stages.Workspace.Write("core.cs", "public static class Core { public const int V = 1; }");
        stages.Workspace.Write("app.cs", "[assembly: DependsOn(\"core\")]\npublic static class App { }");
        stages.Workspace.Write("other.cs", "public static class Other { }");
        stages.Modules.Switch([], await stages.LoadAsync());

        stages.Workspace.Write("core.cs", "public static class Core { public const int V = 2; }");
        stages.Workspace.Delete("other.cs");
        var plan = await stages.PlanAsync();

        Assert.Equal(["core", "app"], plan.Ordered.ToArray());
        Assert.Equal(["other"], plan.Removed.ToArray());
        Assert.Equal(
            [(ModuleChangeKind.Changed, "core"), (ModuleChangeKind.Dependent, "app"), (ModuleChangeKind.Removed, "other")],
            plan.Changes.Select(c => (c.Kind, c.Module)));
        Assert.Equal(2, plan.Changes[0].Generation);
    }
}
