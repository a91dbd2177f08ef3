using System.Text.RegularExpressions;
using Molt.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Molt.Tests.State;

/// <summary>
/// A live reload does what a restart with the state carried over does: the same state, or a
/// refusal. The restart writes the state to a snapshot and starts the edited code from it.
/// </summary>
public sealed partial class RestartEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Edits() => [.. RestartEquivalenceCorpus.Edits.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task AReloadGivesTheStateARestartGivesOrRefuses(string edit)
    {
        var edited = RestartEquivalenceCorpus.Apply(edit);
        var live = await LiveAsync(edited);
        var restart = await RestartAsync(edited);
        output.WriteLine($"live:    {live}\nrestart: {restart}");

        // A refusal is compared by its diagnostic: the two paths word the same failure their own way.
        Assert.Equal(Outcome(live), Outcome(restart));
    }

    private static string Outcome(string run) =>
        run.StartsWith("refused: ", StringComparison.Ordinal) ? "refused with " + string.Join(", ", DiagnosticId().Matches(run).Select(m => m.Value).Distinct()) : run;

    [GeneratedRegex(@"MOLT\d{3}")]
    private static partial Regex DiagnosticId();

    private static async Task<string> LiveAsync(string edited)
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", RestartEquivalenceCorpus.Game);
        var engine = await workspace.StartAsync();
        engine.GetEntryPoint<Action>("game", "Play").Current();
        workspace.Write("game.cs", edited);
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        return result.Succeeded ? engine.GetEntryPoint<Func<string>>("game", "Dump").Current() : $"refused: {result.Error}\n{string.Join("\n", result.Errors)}";
    }

    // The old code's state, played once and written to a snapshot; each restart starts the edited code from it.
    private static readonly Lazy<Task<string>> s_played = new(PlayedSnapshotAsync);

    private static async Task<string> PlayedSnapshotAsync()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", RestartEquivalenceCorpus.Game);
        var snapshot = workspace.PathOf(".state/snapshot.json");
        var first = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        first.GetEntryPoint<Action>("game", "Play").Current();
        var saved = await first.SaveStateSnapshotAsync().WaitAsync(TestTimeouts.Reload);
        Assert.Empty(saved.Skipped);
        var text = await File.ReadAllTextAsync(snapshot);
        await first.DisposeAsync();
        return text;
    }

    private static async Task<string> RestartAsync(string edited)
    {
        var played = await s_played.Value;
        await using var workspace = new ModuleWorkspace();
        var snapshot = workspace.Write(".state/snapshot.json", played);
        workspace.Write("game.cs", edited);
        try
        {
            var second = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
            return second.GetEntryPoint<Func<string>>("game", "Dump").Current();
        }
        catch (Exception ex)
        {
            return "refused: " + ex.Message;
        }
    }
}
