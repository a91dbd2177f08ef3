using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>
/// A small game split as a real port splits one: <c>core</c> (the state types and an interface),
/// <c>enemies</c> (classes implementing it) and <c>game</c> (the loop, owning the state, which holds
/// objects of both). Each source has markers that edits replace.
/// </summary>
internal static class GameModules
{
    public const string Core = """
        public interface IEnemy
        {
            int Hp { get; set; }
            void Step(World world);
        }

        public sealed class World
        {
            public List<IEnemy> Enemies { get; set; } = [];
            public Dictionary<string, int> Scores { get; set; } = new(StringComparer.OrdinalIgnoreCase);
            public long Tick { get; set; }
            public long Spawned { get; set; }
            // CORE_EXTRA
        }
        """;

    public const string Enemies = """
        [assembly: DependsOn("core")]

        public sealed class Tank : IEnemy
        {
            public int Hp { get; set; } = 100;
            public int Armor { get; set; } = 3;
            // TANK_EXTRA
            public void Step(World world) => Hp = Hp > 0 ? Hp - 1 : 100;
        }

        public sealed class Drone : IEnemy
        {
            public int Hp { get; set; } = 10;
            public int Altitude { get; set; } = 5;
            public void Step(World world) => Altitude = Altitude < 1000 ? Altitude + 1 : 0;
        }

        public static class Spawner
        {
            public static IEnemy Spawn(long n) => n % 2 == 0 ? new Tank() : new Drone();
            public const int Version = ENEMIES_VERSION;
        }
        """;

    public const string Game = """
        [assembly: DependsOn("core")]
        [assembly: DependsOn("enemies")]

        public static class Game
        {
            private static IPersistentState<World>? s_world;

            internal static void Attach(IPersistentState<World> world) => s_world = world;

            [Export] public static long Step() => s_world!.Update(w =>
            {
                foreach (var enemy in w.Enemies) { enemy.Step(w); }
                if (w.Tick % 3 == 0 && w.Enemies.Count < 60) { w.Enemies.Add(Spawner.Spawn(w.Spawned++)); }
                w.Scores["Player"] = w.Scores.GetValueOrDefault("player") + 1;
                w.Tick++;
                return w;
            }).Tick;

            // Run by the current code: every object must be of the current generation's types.
            [Export] public static string Check()
            {
                var w = s_world!.Value;
                var tanks = w.Enemies.Count(e => e is Tank);
                var drones = w.Enemies.Count(e => e is Drone);
                var foreign = w.Enemies.Count - tanks - drones;
                return $"tick={w.Tick} enemies={w.Enemies.Count} foreign={foreign} score={w.Scores.GetValueOrDefault("PLAYER")} v={Spawner.Version}";
            }
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Game.Attach(context.State("world", () => new World()));
                return ValueTask.CompletedTask;
            }
        }
        """;

    public static void WriteAll(ModuleWorkspace workspace, int version = 0)
    {
        workspace.Write("core.cs", Core);
        workspace.Write("enemies.cs", EnemiesVersion(version));
        workspace.Write("game.cs", Game);
    }

    public static string EnemiesVersion(int version, string tankExtra = "") =>
        Enemies.Replace("ENEMIES_VERSION", version.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("// TANK_EXTRA", tankExtra, StringComparison.Ordinal);
}
