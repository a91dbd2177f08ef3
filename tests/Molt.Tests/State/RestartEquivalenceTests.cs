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

    [Theory]
    [InlineData("public sealed class Box<T>", "public sealed class Crate<T>", "Box")]
    [InlineData("public sealed class Enemy\n", "public sealed class Foe\n", "Enemy")]
    public async Task ARenameRefusedNamesTheRenamedTypeAndItsRemedyWorksInOneEdit(string declaration, string renamed, string former)
    {
        var newName = renamed.Split(' ')[3].Split('<')[0].Trim();
        var oldName = declaration.Split(' ')[3].Split('<')[0].Trim();
        var edited = RestartEquivalenceCorpus.Apply("nothing changed").Replace(declaration, renamed, StringComparison.Ordinal)
            .Replace($"{oldName}<", $"{newName}<", StringComparison.Ordinal).Replace($"<{oldName}>", $"<{newName}>", StringComparison.Ordinal)
            .Replace($"{oldName}? ", $"{newName}? ", StringComparison.Ordinal).Replace($"Pos, {oldName}>", $"Pos, {newName}>", StringComparison.Ordinal);
        var remedy = $"[FormerName(\"{former}\")]";
        var live = await LiveAsync(edited);
        var restart = await RestartAsync(edited);
        Assert.True(live.Contains(remedy, StringComparison.Ordinal), live);
        Assert.True(restart.Contains(remedy, StringComparison.Ordinal), restart);

        var remedied = edited.Replace(renamed, $"{remedy} {renamed}", StringComparison.Ordinal);
        Assert.Equal(Outcome(await LiveAsync(remedied)), Outcome(await RestartAsync(remedied)));
        Assert.DoesNotContain("refused", await LiveAsync(remedied), StringComparison.Ordinal);
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
        catch (MoltReloadException ex)
        {
            return $"refused: {ex.Result.Error}\n{string.Join("\n", ex.Result.Errors)}";
        }
    }
}
