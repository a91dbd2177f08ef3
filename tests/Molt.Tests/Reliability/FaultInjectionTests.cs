using Molt.Reloading;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>
/// A fault in any phase of a reload, of any kind, under continuous calls: before the switch the reload
/// fails and nothing that serves changes; after it the reload succeeds with a warning; either way
/// nothing leaks and the next reload succeeds. The rows are in <see cref="FaultCases"/>.
/// </summary>
public sealed class FaultInjectionTests
{
    private static readonly FaultKind[] Thrown = [FaultKind.InvalidOperation, FaultKind.OutOfMemory, FaultKind.ThreadInterrupted, FaultKind.IO, FaultKind.HugeMessage];

    public static TheoryData<string> Cases => [.. FaultCases.All.Select(c => c.Name)];

    [Fact]
    public void TheTableHasEveryPhaseWithEveryKindOfFaultAndAHangWhereATimeoutBoundsThePhase()
    {
        foreach (var phase in Enum.GetValues<ReloadPhase>())
        {
            var kinds = FaultCases.All.Where(c => c.Phase == phase).Select(c => c.Kind).ToArray();
            Assert.All(Thrown, kind => Assert.Contains(kind, kinds));
            Assert.Equal(phase is ReloadPhase.Load or ReloadPhase.LoadHook, kinds.Contains(FaultKind.Hang));
            Assert.Equal(kinds.Length, kinds.Distinct().Count());
        }

        Assert.All(FaultCases.All, c => Assert.Equal(c.Phase is ReloadPhase.Switch or ReloadPhase.Retire, c.Succeeds));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AFaultInAnyPhaseNeverWedgesLeaksOrChangesWhatServesBeforeTheSwitch(string name)
    {
        var row = FaultCases.All.Single(c => c.Name == name);
        var loadTimeout = row.Kind == FaultKind.Hang ? FaultCase.HangTimeout : TimeSpan.FromSeconds(10);
        await using var rig = await FaultRig.StartAsync(loadTimeout);
        for (var i = 0; i < 3; i++)
        {
            rig.Bump.Current();
        }

        await rig.Host.WaitForTicksAsync(FaultRig.App(1), 1);

        var result = await ReloadWithFaultAsync(rig, row);

        Assert.False(rig.Faults.IsArmed(row.Phase), $"the fault at {row.Phase} was never reached: the table says what it does not test");
        if (row.Succeeds)
        {
            await AssertTheNewGenerationServesAsync(rig, row, result);
        }
        else
        {
            await AssertTheOldGenerationServesAsync(rig, row, result);
        }

        // No wedge: the next edit reloads, with the state and everything the host sees following it.
        rig.Edit(3);
        var next = await rig.Engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(next.Succeeded, $"the reload after the fault failed: {Describe(next)}");
        Assert.Equal(FaultRig.Value(3, 4), rig.Read.Current());
        Assert.Equal(5, rig.Bump.Current());
        Assert.Equal([FaultRig.App(3)], rig.Host.Pings());
        await AssertOnlyTheTimerOfRunsAsync(rig, 3);
        await rig.AssertUnloadedAsync(["app#1", "core#1", .. row.Succeeds ? ["app#2", "core#2"] : row.Discarded]);
    }

    /// <summary>Arms the fault, edits both modules and reloads while another thread keeps calling.</summary>
    private static async Task<ReloadResult> ReloadWithFaultAsync(FaultRig rig, FaultCase row)
    {
        var callers = Callers.Start(() => rig.Read.Current(), row.Succeeds ? [FaultRig.Value(1, 3), FaultRig.Value(2, 3)] : [FaultRig.Value(1, 3)]);
        row.Arm(rig.Faults);
        rig.Edit(2);
        var result = await rig.Engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        await callers.StopAndAssertAsync();
        return result;
    }

    private static async Task AssertTheOldGenerationServesAsync(FaultRig rig, FaultCase row, ReloadResult result)
    {
        Assert.False(result.Succeeded, $"the reload should have failed with {row.Id}");
        var error = result.Errors.FirstOrDefault(e => e.Id == row.Id);
        Assert.True(error is not null, $"expected {row.Id}, got: {Describe(result)}");
        Assert.True(row.Kind == FaultKind.Hang || error.Message.Contains(row.Marker, StringComparison.Ordinal), $"the diagnostic does not say what was thrown: {error.Message}");
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Equal(1, rig.Engine.Generation);

        // Same values, same state; the old generation's handle still writes.
        Assert.Equal(FaultRig.Value(1, 3), rig.Read.Current());
        Assert.Equal(4, rig.Bump.Current());
        Assert.Equal(FaultRig.Value(1, 4), rig.Read.Current());

        // The old generation's hook handler and timer still serve; the candidate's never ran.
        Assert.Equal([FaultRig.App(1)], rig.Host.Pings());
        await rig.Host.WaitForTicksAsync(FaultRig.App(1), rig.Host.Ticks(FaultRig.App(1)) + 2);
        Assert.Equal(0, rig.Host.Ticks(FaultRig.App(2)));
    }

    private static async Task AssertTheNewGenerationServesAsync(FaultRig rig, FaultCase row, ReloadResult result)
    {
        Assert.True(result.Succeeded, $"past the switch a fault must not fail the reload: {Describe(result)}");
        var warning = result.Diagnostics.FirstOrDefault(d => d.Id == row.Id && d.Message.Contains(row.Marker, StringComparison.Ordinal));
        Assert.True(warning is not null, $"expected a {row.Id} warning saying what was thrown, got: {Describe(result)}");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(2, rig.Engine.Generation);

        Assert.Equal(FaultRig.Value(2, 3), rig.Read.Current());
        Assert.Equal(4, rig.Bump.Current());
        await rig.Host.WaitForTicksAsync(FaultRig.App(2), 1);

        // Whatever the fault cut short, no retired code answers the host's hook.
        var pings = rig.Host.Pings();
        Assert.DoesNotContain(FaultRig.App(1), pings);
        if (row.Phase == ReloadPhase.Retire)
        {
            Assert.Equal([FaultRig.App(2)], pings);
        }
    }

    /// <summary>Waits for <paramref name="version"/>'s timer to tick a few times while every other generation's stays still.</summary>
    private static async Task AssertOnlyTheTimerOfRunsAsync(FaultRig rig, int version)
    {
        var mine = FaultRig.App(version);
        await rig.Host.WaitForTicksAsync(mine, 1);
        var others = Enumerable.Range(1, 3).Where(v => v != version).Select(FaultRig.App).ToArray();
        var before = others.Select(rig.Host.Ticks).ToArray();
        await rig.Host.WaitForTicksAsync(mine, rig.Host.Ticks(mine) + 3);
        Assert.Equal(before, others.Select(rig.Host.Ticks).ToArray());
    }

    private static string Describe(ReloadResult result) =>
        $"{result.Error}: {string.Join(" | ", result.Diagnostics.Select(d => d.ToString()[..Math.Min(d.ToString().Length, 400)]))}";
}
