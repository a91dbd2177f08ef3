using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>A MUD's map in persistent state: multi-dimensional and jagged arrays migrate element by element, live and through snapshots.</summary>
public sealed class ArrayStateTests
{
    private const string Mud = """
        public sealed class Tile { public string Name = "floor"; public int Height; /*TILE*/ }
        public struct Cell { public int X; /*CELL*/ }

        public static class World
        {
            [Persistent] static Tile[,] s_map = Make();
            [Persistent] static Tile[][] s_rows = [[new Tile { Height = 1 }], [new Tile { Height = 2 }, new Tile { Height = 3 }]];
            [Persistent] static Cell[,,] s_cube = new Cell[2, 3, 2];
            [Persistent] static INT[,] s_ints = { { 1, 2 }, { 3, 4 } };

            static Tile[,] Make()
            {
                var map = new Tile[3, 2];
                for (var x = 0; x < 3; x++) for (var y = 0; y < 2; y++) map[x, y] = new Tile { Height = x * 10 + y };
                return map;
            }

            [Export] public static void Build() { s_cube[1, 2, 0].X = 7; s_map[2, 1].Name = "wall"; s_map[0, 1] = s_map[2, 1]; s_rows[1][0] = s_map[2, 1]; }

            [Export] public static bool SharedAcrossValues() => ReferenceEquals(s_rows[1][0], s_map[2, 1]);

            [Export] public static string Show() =>
                $"TEXT {s_map[2, 1].Name}{s_map[2, 1].Height} {s_map[1, 0].Height} {s_map.GetLength(0)}x{s_map.GetLength(1)} "
                + $"{s_rows[1][1].Height} {ReferenceEquals(s_map[0, 1], s_map[2, 1])} {s_cube[1, 2, 0].X} {s_cube.GetLength(1)} {s_ints[1, 0]}:{s_ints.GetType().Name}"
                + EXTRA;
        }
        """;

    private static string Version(string text, bool grown = false, string type = "int")
    {
        var source = Mud.Replace("TEXT", text, StringComparison.Ordinal).Replace("INT", type, StringComparison.Ordinal);
        return grown
            ? source.Replace("/*TILE*/", "public int Moisture = 5;", StringComparison.Ordinal)
                .Replace("/*CELL*/", "public int Y;", StringComparison.Ordinal)
                .Replace("EXTRA", "$\" {s_map[2, 1].Moisture} {s_rows[1][1].Moisture} {s_cube[1, 2, 0].Y}\"", StringComparison.Ordinal)
            : source.Replace("EXTRA", "\"\"", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMapOfTilesMigratesAcrossAOneStringEditAndWhenItsElementTypesGainMembers()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("mud.cs", Version("v1"));
        var engine = await workspace.StartAsync();
        engine.GetEntryPoint<Action>("mud", "Build").Current();
        var show = engine.GetEntryPoint<Func<string>>("mud", "Show");
        Assert.Equal("v1 wall21 10 3x2 3 True 7 3 3:Int32[,]", show.Current());

        workspace.Write("mud.cs", Version("v2"));
        await ReloadAsync(engine);
        Assert.Equal("v2 wall21 10 3x2 3 True 7 3 3:Int32[,]", show.Current());

        workspace.Write("mud.cs", Version("v3", grown: true, type: "long"));
        var grown = await ReloadAsync(engine);
        Assert.Contains(grown.State, s => s.Name == "static:World.s_map" && s.Kind == StateChangeKind.Migrated);
        Assert.Equal("v3 wall21 10 3x2 3 True 7 3 3:Int64[,] 5 5 0", show.Current());
        Assert.True(engine.GetEntryPoint<Func<bool>>("mud", "SharedAcrossValues").Current());

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task AMapSurvivesARestartThroughASnapshotIntoTilesThatGainedAMember()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("mud.cs", Version("v1"));
        var snapshot = workspace.PathOf(".state/snapshot.json");
        var first = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        first.GetEntryPoint<Action>("mud", "Build").Current();
        var saved = await first.SaveStateSnapshotAsync().WaitAsync(TestTimeouts.Reload);
        Assert.Empty(saved.Skipped);
        Assert.Equal(4, saved.Written);
        Assert.Contains("\"$lengths\":[2,3,2]", await File.ReadAllTextAsync(snapshot));
        await first.DisposeAsync();

        workspace.Write("mud.cs", Version("v2", grown: true));
        var second = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        Assert.Equal("v2 wall21 10 3x2 3 True 7 3 3:Int32[,] 5 5 0", second.GetEntryPoint<Func<string>>("mud", "Show").Current());
    }

    [Fact]
    public async Task AStateMigrationOfATypeHoldingAMapGetsItsLengthsAndTheMapMigrated()
    {
        const string Zone = """
            public sealed class Tile { public int Height; /*TILE*/ }
            public sealed class Room { public string Name = "hall"; public Tile[,] Map = new Tile[2, 3]; }

            public static class Zone
            {
                [Persistent] static Room s_room = Make();
                static Room Make() { var room = new Room(); room.Map[1, 2] = new Tile { Height = 9 }; return room; }
                [Export] public static string Show() => $"{s_room.Name} {s_room.Map[1, 2].Height} {s_room.Map.GetLength(1)}";
                // MIGRATION
            }
            """;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("zone.cs", Zone);
        var engine = await workspace.StartAsync();
        var show = engine.GetEntryPoint<Func<string>>("zone", "Show");

        // A migration present runs at every reload, so a map anywhere under it must have a neutral form.
        workspace.Write("zone.cs", Zone
            .Replace("/*TILE*/", "public int Moisture = 1;", StringComparison.Ordinal)
            .Replace("// MIGRATION", "[StateMigration] static Room Up(StateObject old, Room migrated) { var map = (StateList)old[\"Map\"]!; migrated.Name = $\"{old[\"Name\"]} {string.Join(\"x\", map.Lengths!)} {map.Items.Count}\"; return migrated; }", StringComparison.Ordinal));
        await ReloadAsync(engine);

        Assert.Equal("hall 2x3 6 9 3", show.Current());
    }

    [Fact]
    public async Task AMapWhoseTypeBecomesAListIsRefusedWithItsPathAndTheOldCodeServes()
    {
        const string Grid = """
            public sealed class Holder { public int[,] Map = { { 1, 2 }, { 3, 4 } }; }
            public static class Grid
            {
                [Persistent] static Holder s_holder = new();
                [Export] public static int Count() => s_holder.Map.Length;
            }
            """;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("grid.cs", Grid);
        var engine = await workspace.StartAsync();

        workspace.Write("grid.cs", Grid.Replace("public int[,] Map = { { 1, 2 }, { 3, 4 } };", "public List<int> Map = [];", StringComparison.Ordinal)
            .Replace("Map.Length", "Map.Count", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(MoltDiagnosticIds.StateNotMigrated, error.Id);
        Assert.Contains("s_holder.Map", error.Message);
        Assert.Contains("its items would not keep their places", error.Message);
        Assert.Equal(4, engine.GetEntryPoint<Func<int>>("grid", "Count").Current());
    }

    private static async Task<ReloadResult> ReloadAsync(MoltEngine engine)
    {
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Diagnostics)}");
        return result;
    }
}
