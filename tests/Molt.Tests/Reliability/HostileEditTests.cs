using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

public sealed class HostileEditTests
{
    public static TheoryData<string> Cases => [.. HostileCases.All.Select(c => c.Name)];

    [Fact]
    public void TheTableHasAtLeastThirtyKindsOfBadEdit() => Assert.True(HostileCases.All.Count >= 30, $"{HostileCases.All.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AHostileEditKeepsTheHostServingWithItsStateAndTheNextGoodEditRecovers(string name)
    {
        var hostile = HostileCases.All.Single(c => c.Name == name);
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", HostileModule.Source());
        var engine = await workspace.StartAsync(o =>
        {
            o.LoadTimeout = TimeSpan.FromMilliseconds(500);
            o.UnloadTimeout = TimeSpan.FromMilliseconds(500);
            o.UnloadVerificationTimeout = TimeSpan.FromSeconds(1);
            o.UnloadVerificationCollections = 4;
        });
        var value = engine.GetEntryPoint<Func<string>>("app", "Value");
        var next = engine.GetEntryPoint<Func<int>>("app", "Next");
        var greeter = engine.GetService<IGreeter>("app");
        for (var i = 0; i < 3; i++)
        {
            next.Current();
        }

        Assert.Equal("v1:3:3", value.Current());
        var leaked = new TaskCompletionSource<GenerationEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.GenerationLeaked += (_, e) => leaked.TrySetResult(e);

        // Callers keep calling through the whole edit: none may fail.
        using var stop = new CancellationTokenSource();
        long calls = 0, failures = 0;
        string? firstFailure = null;
        var callers = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    _ = value.Current();
                    _ = greeter.Current.Greet("x");
                    calls++;
                }
                catch (Exception ex)
                {
                    failures++;
                    firstFailure ??= ex.ToString();
                }
            }
        });

        var line = hostile.Apply(workspace, engine);
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        switch (hostile.Outcome)
        {
            case HostileOutcome.ReloadFails:
                Assert.False(result.Succeeded, $"the reload should have failed with {hostile.Id}");
                var error = result.Errors.FirstOrDefault(e => e.Id == hostile.Id);
                Assert.True(error is not null, $"expected {hostile.Id}, got: {string.Join(" | ", result.Errors)}");
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
                if (line is { } expectedLine)
                {
                    Assert.Equal(workspace.PathOf("app.cs"), error.File);
                    Assert.Equal(expectedLine, error.Line);
                }

                Assert.Equal("v1:3:3", value.Current());
                Assert.Equal("v1 x", greeter.Current.Greet("x"));
                break;

            case HostileOutcome.NextReloadWarns:
                Assert.True(result.Succeeded, result.Error);
                workspace.Write("app.cs", HostileModule.Source("v2"));
                var warned = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
                Assert.True(warned.Succeeded, warned.Error);
                Assert.Contains(warned.Diagnostics, d => d.Id == hostile.Id && d.Severity == DiagnosticSeverity.Warning);
                Assert.Equal("v2:3:3", value.Current());
                break;

            case HostileOutcome.RetirementLeaks:
                Assert.True(result.Succeeded, result.Error);
                workspace.Write("app.cs", HostileModule.Source("v2"));
                Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
                var report = await leaked.Task.WaitAsync(TestTimeouts.Verification);
                Assert.Equal("app", report.Module);
                Assert.Contains("Usual suspects", report.Message);
                Assert.Equal("v2:3:3", value.Current());
                break;
        }

        await stop.CancelAsync();
        await callers.WaitAsync(TestTimeouts.Reload);
        Assert.True(failures == 0, $"{failures} of {calls + failures} calls failed; first: {firstFailure}");
        Assert.True(calls > 0);

        // The next good edit recovers, with the state intact.
        Reset(workspace);
        workspace.Write("app.cs", HostileModule.Source("v3"));
        var recovered = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(recovered.Succeeded, $"{recovered.Error}: {string.Join(" | ", recovered.Errors)}");
        Assert.Equal("v3:3:3", value.Current());
        Assert.Equal(4, next.Current());
    }

    /// <summary>Removes whatever a case added beside the module.</summary>
    private static void Reset(ModuleWorkspace workspace)
    {
        foreach (var file in new[] { "app.cs", "core.cs" })
        {
            File.Delete(workspace.PathOf(file));
        }

        foreach (var folder in new[] { "app", "escape" })
        {
            if (Directory.Exists(workspace.PathOf(folder)))
            {
                Directory.Delete(workspace.PathOf(folder), recursive: true);
            }
        }
    }
}
