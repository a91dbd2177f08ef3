using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>
/// One object reachable from two persistent values: a game that keeps its player in a static and
/// also in the list of everything on screen. "State migrates as one graph": after a reload both
/// values must still reach one object.
/// </summary>
public sealed class SharedAcrossValuesTests
{
    private const string Game = """
        public sealed class Ship { public int Hp { get; set; } = 10; }

        public static class Game
        {
            [Persistent] private static Ship s_player = new();
            [Persistent] private static List<Ship> s_onScreen = [];

            [Export] public static void Start() => s_onScreen.Add(s_player);
            [Export] public static void Hit() => s_player.Hp--;
            [Export] public static string Show() => $"{ReferenceEquals(s_player, s_onScreen[0])} {s_player.Hp} {s_onScreen[0].Hp} VERSION";
        }
        """;

    [Fact]
    public async Task AnObjectReachableFromTwoPersistentValuesIsStillOneObjectAfterAReload()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Game.Replace("VERSION", "v1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync();
        engine.GetEntryPoint<Action>("game", "Start").Current();
        var hit = engine.GetEntryPoint<Action>("game", "Hit");
        var show = engine.GetEntryPoint<Func<string>>("game", "Show");
        hit.Current();
        Assert.Equal("True 9 9 v1", show.Current());

        workspace.Write("game.cs", Game.Replace("VERSION", "v2", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Diagnostics)}");

        hit.Current();
        Assert.Equal("True 8 8 v2", show.Current());
    }
}
