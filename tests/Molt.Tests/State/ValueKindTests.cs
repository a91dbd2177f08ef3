using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>Every kind of value in <see cref="ValueKindCases"/>: migrated right (checked by behaviour) or refused clearly, never copied blindly.</summary>
public sealed class ValueKindTests
{
    public static TheoryData<string> Cases() => [.. ValueKindCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AValueKindIsMigratedRightOrRefusedWithThePathAndTheOldGenerationServes(string name)
    {
        var @case = ValueKindCases.All.Single(c => c.Name == name);
        var (before, after) = ValueKindCases.Sources(@case);
        await using var workspace = new ModuleWorkspace();
        workspace.Write("kinds.cs", before);
        var engine = await workspace.StartAsync();
        var check = engine.GetEntryPoint<Func<string>>("kinds", "Check");
        var initial = check.Current();
        if (@case.Expected is not null)
        {
            Assert.Equal(@case.Expected, initial);
        }

        workspace.Write("kinds.cs", after);
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == MoltDiagnosticIds.InternalError);
        if (@case.Expected is not null)
        {
            Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Errors)}");
            Assert.Equal(@case.ExpectedAfter ?? @case.Expected, check.Current());
        }
        else
        {
            Assert.False(result.Succeeded);
            var error = Assert.Single(result.Errors);
            Assert.Equal(MoltDiagnosticIds.StateNotMigrated, error.Id);
            Assert.True(error.Message.Contains("kinds/holder.Value: ", StringComparison.Ordinal), error.Message);
            Assert.True(error.Message.Contains(@case.Refusal!, StringComparison.Ordinal), error.Message);
            Assert.Equal(initial, check.Current());
            await RecoverInOneEditAsync(workspace, engine, after);
        }

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    /// <summary>The remedy the diagnostic names, in the same edit: drop the value; the reload succeeds and says so.</summary>
    private static async Task RecoverInOneEditAsync(ModuleWorkspace workspace, MoltEngine engine, string after)
    {
        workspace.Write("kinds.cs", after.Replace("Probe.Attach(context.State(", "context.DropState(\"holder\");\n        Probe.Attach(context.State(", StringComparison.Ordinal));
        var recovered = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(recovered.Succeeded, $"{recovered.Error}\n{string.Join("\n", recovered.Errors)}");
        Assert.Contains(recovered.Diagnostics, d => d.Id == MoltDiagnosticIds.StateDropped && d.Severity == DiagnosticSeverity.Warning);
        Assert.Contains(recovered.State, s => s.Name == "holder" && s.Kind == StateChangeKind.Initialized);
    }
}
