// The reloadable part of the TickLoop sample. Edit and save while it runs:
//   - change Step (e.g. make creatures move by 2), and the next tick uses the new rule;
//   - add a member to Creature, e.g. `int Energy = 10` (a new positional member with a default),
//     and the world migrates: every creature keeps its name and position and gains the new member;
//   - throw from Tick, and the host pauses the simulation until you save a fixed version.
// The world is a [Persistent] static: Molt keeps its value in host-owned state, so it survives
// every reload (and a restart, with --snapshot), migrated when its types change.

public sealed record Creature(string Name, int X, int Y);

public sealed class World
{
    public List<Creature> Creatures { get; set; } = [new("ant", 0, 0), new("bee", 10, 5), new("cat", -3, 7)];

    public long Steps { get; set; }
}

public static class Simulation
{
    [Persistent] private static World s_world = new();

    [Export]
    public static string? Tick(long tick)
    {
        // Changed in place: safe, because the host's ticks are tracked calls and the engine holds
        // them while a reload reads, migrates and switches the world (QuiesceBeforeSwitch).
        var world = s_world;
        world.Steps++;
        world.Creatures = [.. world.Creatures.Select(Step)];
        return $"step {world.Steps}: " + string.Join("  ", world.Creatures.Select(c => $"{c.Name}@({c.X},{c.Y})"));
    }

    private static Creature Step(Creature c) => c with { X = c.X + 1 };
}
