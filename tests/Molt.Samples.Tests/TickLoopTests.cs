using System.Globalization;
using System.Text.RegularExpressions;

namespace Molt.Samples.Tests;

public sealed partial class TickLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EditsMigrateTheWorldAThrowingTickPausesUntilFixedAndABrokenEditKeepsTheOldCodeTicking()
    {
        var modules = SamplePaths.CopyModules("TickLoop");
        var simulation = Path.Combine(modules, "simulation.cs");
        var original = await File.ReadAllTextAsync(simulation);
        await using var sample = SampleProcess.Start("TickLoop", modules, "--interval", "40", "--poll", "40");
        await sample.WaitForLineAsync(l => l.Contains("[gen 1] step 3", StringComparison.Ordinal), Timeout);

        // A structural edit: Creature gains a member, the rule changes.
        var withEnergy = original
            .Replace("record Creature(string Name, int X, int Y);", "record Creature(string Name, int X, int Y, int Energy = 10);", StringComparison.Ordinal)
            .Replace("{c.Name}@({c.X},{c.Y})", "{c.Name}@({c.X},{c.Y}) e{c.Energy}", StringComparison.Ordinal)
            .Replace("c with { X = c.X + 1 }", "c with { X = c.X + 1, Energy = c.Energy - 1 }", StringComparison.Ordinal);
        await File.WriteAllTextAsync(simulation, withEnergy);
        await sample.WaitForLineAsync(l => l.StartsWith("RELOADED generation 2", StringComparison.Ordinal), Timeout);
        var firstNew = await sample.WaitForLineAsync(l => l.StartsWith("[gen 2]", StringComparison.Ordinal), Timeout);

        // Same world: the step count and the ant's position continue, and every creature gained Energy = 10 (then 9 after its step).
        var lines = sample.Lines;
        var lastOld = lines.Last(l => l.StartsWith("[gen 1]", StringComparison.Ordinal));
        Assert.Equal(Step(lastOld) + 1, Step(firstNew));
        Assert.Equal(AntX(lastOld) + 1, AntX(firstNew));
        Assert.Contains("ant@", firstNew, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(firstNew, " e9"));

        // Tick throws: the host pauses the simulation and says where.
        var throwing = withEnergy.Replace("var world = s_world;", "if (tick > 0) throw new InvalidOperationException(\"boom\");\n        var world = s_world;", StringComparison.Ordinal);
        await File.WriteAllTextAsync(simulation, throwing);
        var paused = await sample.WaitForLineAsync(l => l.StartsWith("PAUSED", StringComparison.Ordinal), Timeout);
        Assert.Matches(@"boom at simulation\.cs:\d+", paused);
        var beforePause = sample.Lines.Last(l => l.StartsWith("[gen 2]", StringComparison.Ordinal));

        // A fix resumes with the same state.
        await File.WriteAllTextAsync(simulation, withEnergy.Replace("X = c.X + 1,", "X = c.X + 100,", StringComparison.Ordinal));
        var resumedAt = sample.Lines.Count;
        await sample.WaitForLineAsync(l => l.StartsWith("RESUMED", StringComparison.Ordinal), Timeout);
        var afterResume = await sample.WaitForLineAsync(l => l.StartsWith("[gen 4]", StringComparison.Ordinal), Timeout, resumedAt);
        Assert.Equal(Step(beforePause) + 1, Step(afterResume));
        Assert.Equal(AntX(beforePause) + 100, AntX(afterResume));

        // A broken edit: reported with file and line, the old code keeps ticking.
        await File.WriteAllTextAsync(simulation, withEnergy.Replace("world.Steps++;", "world.Steps++", StringComparison.Ordinal));
        var failedAt = sample.Lines.Count;
        await sample.WaitForLineAsync(l => l.StartsWith("RELOAD FAILED", StringComparison.Ordinal), Timeout, failedAt);
        await sample.WaitForLineAsync(l => l.Contains("simulation.cs(", StringComparison.Ordinal) && l.Contains("CS1002", StringComparison.Ordinal), Timeout, failedAt);
        var stillTicking = sample.Lines.Count;
        await sample.WaitForLineAsync(l => l.StartsWith("[gen 4]", StringComparison.Ordinal), Timeout, stillTicking);
        // Reported once, not at every poll. (A save seen half done on a loaded machine, the file still
        // empty, is a failure of its own: MOLT007, then the complete save reloads.)
        Assert.Single(sample.Lines, l => l.StartsWith("RELOAD FAILED", StringComparison.Ordinal) && !l.Contains("MOLT007", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheWorldSurvivesAProcessRestartThroughASnapshot()
    {
        var modules = SamplePaths.CopyModules("TickLoop");
        var snapshot = Path.Combine(modules, ".state", "world.json");

        await using (var first = SampleProcess.Start("TickLoop", modules, "--interval", "20", "--ticks", "5", "--snapshot", snapshot))
        {
            Assert.Equal(0, await first.WaitForExitAsync(Timeout));
            Assert.Contains(first.Lines, l => l.Contains("step 5:", StringComparison.Ordinal));
        }

        Assert.True(File.Exists(snapshot));
        await using var second = SampleProcess.Start("TickLoop", modules, "--interval", "20", "--ticks", "2", "--snapshot", snapshot);
        Assert.Equal(0, await second.WaitForExitAsync(Timeout));
        var firstTick = second.Lines.First(l => l.StartsWith("[gen 1]", StringComparison.Ordinal));
        Assert.Equal(6, Step(firstTick));
        Assert.Equal(6, AntX(firstTick));
    }

    private static int Step(string line) => int.Parse(StepPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    private static int AntX(string line) => int.Parse(AntPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"step (\d+):")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"ant@\((-?\d+),")]
    private static partial Regex AntPattern();
}
