// The reloadable part of the TickLoop sample. Edit and save while it runs:
//   - change Step (e.g. make creatures move by 2), and the next tick uses the new rule;
//   - add a member to Creature, e.g. `int Energy = 10` (a new positional member with a default),
//     and the world migrates: every creature keeps its name and position and gains the new member;
//   - throw from Tick, and the host pauses the simulation until you save a fixed version.
// The world lives in persistent state owned by the host: it survives every reload.

public sealed record Creature(string Name, int X, int Y);

public sealed class World
{
    public List<Creature> Creatures { get; set; } = [new("ant", 0, 0), new("bee", 10, 5), new("cat", -3, 7)];

    public long Steps { get; set; }
}

public static class Simulation
{
    private static IPersistentState<World>? s_world;

    [Export]
    public static string? Tick(long tick)
    {
        // Changes go through the handle (Update), so a reload that runs at the same moment sees them.
        var world = s_world!.Update(world =>
        {
            world.Steps++;
            world.Creatures = [.. world.Creatures.Select(Step)];
            return world;
        });
        return $"step {world.Steps}: " + string.Join("  ", world.Creatures.Select(c => $"{c.Name}@({c.X},{c.Y})"));
    }

    private static Creature Step(Creature c) => c with { X = c.X + 1 };

    internal static void Attach(IPersistentState<World> world) => s_world = world;
}

public sealed class Lifecycle : IModule
{
    public ValueTask OnLoadAsync(IModuleContext context)
    {
        Simulation.Attach(context.State("world", () => new World()));
        return ValueTask.CompletedTask;
    }
}
