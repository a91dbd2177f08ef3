namespace Molt.Tests.State;

/// <summary>
/// A game's state and a corpus of edits to its types: each edit must give, on a live reload, the
/// state a restart with the state carried over (a snapshot read into the edited code) gives, or be
/// refused by both.
/// </summary>
internal static class RestartEquivalenceCorpus
{
    public const string Game = """
        using System.Collections;
        using System.Reflection;

        public enum Kind { Goblin, Orc, Troll }
        [Flags] public enum Tags { None = 0, Boss = 1, Flying = 2 }
        public sealed record Pos(int X, int Y);
        public struct Stats { public int Kills; public long Score; }

        public sealed class Enemy
        {
            public string Name = "";
            public Kind Kind;
            public int Hp = 10;
            public Pos At = new(0, 0);
            public Tags Tags;
            public List<string> Loot = new();
            public Enemy? Target;
        }

        public abstract class Creature { public string Species = ""; }
        public sealed class Bat : Creature { public int Wings = 2; }
        public sealed class Slime : Creature { public double Size = 1.5; }
        public sealed class Box<T> { public T? Item; public int Weight; }

        public sealed class World
        {
            public List<Creature> Creatures = new();
            public Box<Enemy> Cage = new();
            public Enemy? Boss;
            public List<Enemy> Enemies = new();
            public Dictionary<Pos, Enemy> ByPos = new();
            public HashSet<Kind> Seen = new();
            public Stats Stats;
            public int[] Grid = new int[4];
            public SortedDictionary<string, int> Counts = new();
            public Queue<Pos> Path = new();
        }

        public static class Game
        {
            [Persistent] static World s_world = new();

            [Export] public static void Play()
            {
                /*PLAY*/
                var w = s_world;
                var names = new[] { "gob", "orc", "troll" };
                for (var i = 0; i < 3; i++)
                {
                    var e = new Enemy { Name = names[i], Kind = (Kind)i, Hp = 10 + i * 7, At = new Pos(i, 2 * i), Tags = i == 2 ? Tags.Boss | Tags.Flying : (Tags)i };
                    e.Loot.Add("coin" + i);
                    w.Enemies.Add(e);
                    w.ByPos[e.At] = e;
                    w.Seen.Add(e.Kind);
                    w.Counts[e.Name] = i + 1;
                    w.Path.Enqueue(new Pos(i, -i));
                }

                w.Creatures.Add(new Bat { Species = "bat" });
                w.Creatures.Add(new Slime { Species = "slime", Size = 2.5 });
                w.Cage.Item = w.Enemies[1];
                w.Cage.Weight = 3;
                w.Boss = w.Enemies[2];
                w.Enemies[2].Target = w.Enemies[0];
                w.Enemies[0].Target = w.Enemies[2];
                w.Stats.Kills = 4;
                w.Stats.Score = 1234;
                w.Grid[1] = 7;
                w.Grid[3] = -2;
                /*END*/
            }

            [Export] public static string Dump() { s_seen.Clear(); return Show(s_world, 0); }

            // Objects met before, shown by number: the dump says which objects the state shares.
            static readonly Dictionary<object, int> s_seen = new(ReferenceEqualityComparer.Instance);

            // Every field, by name; collections in their order; dictionaries as key:value.
            static string Show(object? o, int depth)
            {
                if (o is null) return "null";
                if (depth > 8) return "…";
                var t = o.GetType();
                if (t.IsPrimitive || t.IsEnum || o is string or decimal) return $"{t.Name}:{o}";
                if (!t.IsValueType)
                {
                    if (s_seen.TryGetValue(o, out var seen)) return "#" + seen;
                    s_seen[o] = s_seen.Count + 1;
                }

                if (o is IDictionary d)
                {
                    var entries = new List<string>();
                    foreach (DictionaryEntry entry in d) entries.Add(Show(entry.Key, depth + 1) + "=>" + Show(entry.Value, depth + 1));
                    return t.Name + "{" + string.Join(", ", entries) + "}";
                }

                if (o is IEnumerable items) return t.Name + "[" + string.Join(", ", items.Cast<object?>().Select(i => Show(i, depth + 1))) + "]";
                var fields = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.Name, StringComparer.Ordinal);
                return t.Name + "(" + string.Join(", ", fields.Select(f => f.Name + "=" + Show(f.GetValue(o), depth + 1))) + ")";
            }
        }
        """;

    /// <summary>Each edit: a name and the replacements that make the edited source from <see cref="Game"/>.</summary>
    public static IReadOnlyList<(string Name, (string From, string To)[] Replacements)> Edits { get; } =
    [
        ("nothing changed", []),
        ("enemy gains a field with an initialiser", [("public int Hp = 10;", "public int Hp = 10;\n    public int Mana = 5;")]),
        ("enemy loses a field", [("public List<string> Loot = new();", ""), ("e.Loot.Add(\"coin\" + i);", "")]),
        ("field renamed with FormerName", [("public int Hp = 10;", "[FormerName(\"Hp\")] public int Health = 10;"), ("Hp = 10 + i * 7", "Health = 10 + i * 7")]),
        ("field renamed without FormerName", [("public int Hp = 10;", "public int Health = 10;"), ("Hp = 10 + i * 7", "Health = 10 + i * 7")]),
        ("int field becomes long", [("public int Hp = 10;", "public long Hp = 10;")]),
        ("int field becomes double", [("public int Hp = 10;", "public double Hp = 10;")]),
        ("int field becomes string", [("public int Hp = 10;", "public string Hp = \"10\";"), ("Hp = 10 + i * 7", "Hp = $\"{10 + i * 7}\"")]),
        ("long field becomes int", [("public long Score; }", "public int Score; }")]),
        ("int field becomes nullable", [("public int Hp = 10;", "public int? Hp = 10;")]),
        ("field becomes an auto-property", [("public int Hp = 10;", "public int Hp { get; set; } = 10;")]),
        ("list becomes an array", [("public List<string> Loot = new();", "public string[] Loot = [];"), ("e.Loot.Add(\"coin\" + i);", "")]),
        ("list becomes a hash set", [("public List<string> Loot = new();", "public HashSet<string> Loot = new();")]),
        ("array becomes a list", [("public int[] Grid = new int[4];", "public List<int> Grid = new();"), ("w.Grid[1] = 7;", ""), ("w.Grid[3] = -2;", "")]),
        ("int array becomes long array", [("public int[] Grid = new int[4];", "public long[] Grid = new long[4];")]),
        ("queue becomes a stack", [("public Queue<Pos> Path = new();", "public Stack<Pos> Path = new();"), ("w.Path.Enqueue(", "w.Path.Push(")]),
        ("queue becomes a list", [("public Queue<Pos> Path = new();", "public List<Pos> Path = new();"), ("w.Path.Enqueue(", "w.Path.Add(")]),
        ("sorted dictionary becomes a dictionary", [("public SortedDictionary<string, int> Counts", "public Dictionary<string, int> Counts")]),
        ("dictionary becomes an ordered dictionary", [("public Dictionary<Pos, Enemy> ByPos", "public OrderedDictionary<Pos, Enemy> ByPos")]),
        ("enum reordered", [("public enum Kind { Goblin, Orc, Troll }", "public enum Kind { Troll, Goblin, Orc }")]),
        ("enum renumbered", [("public enum Kind { Goblin, Orc, Troll }", "public enum Kind { Goblin = 10, Orc = 20, Troll = 30 }"), ("Kind = (Kind)i", "Kind = (Kind)(10 * i + 10)")]),
        ("enum member renamed with FormerName", [("public enum Kind { Goblin, Orc, Troll }", "public enum Kind { Goblin, [FormerName(\"Orc\")] Brute, Troll }")]),
        ("enum member removed", [("public enum Kind { Goblin, Orc, Troll }", "public enum Kind { Goblin, Orc }")]),
        ("flag renamed and renumbered", [("[Flags] public enum Tags { None = 0, Boss = 1, Flying = 2 }", "[Flags] public enum Tags { None = 0, Flying = 1, [FormerName(\"Boss\")] Chief = 4 }")]),
        ("record key gains a member", [("public sealed record Pos(int X, int Y);", "public sealed record Pos(int X, int Y, int Z = 0);")]),
        ("record key becomes a record struct", [("public sealed record Pos(int X, int Y);", "public readonly record struct Pos(int X, int Y);")]),
        ("record key's equality ignores Y", [("public sealed record Pos(int X, int Y);", "public sealed record Pos(int X, int Y) { public bool Equals(Pos? o) => o is not null && o.X == X; public override int GetHashCode() => X; }")]),
        ("struct gains a field", [("public struct Stats { public int Kills; public long Score; }", "public struct Stats { public int Kills; public long Score; public int Deaths; }")]),
        ("struct field renamed with FormerName", [("public struct Stats { public int Kills; public long Score; }", "public struct Stats { [FormerName(\"Kills\")] public int Victories; public long Score; }"), ("w.Stats.Kills = 4;", "w.Stats.Victories = 4;")]),
        ("class renamed with FormerName", [("public sealed class Enemy\n", "[FormerName(\"Enemy\")] public sealed class Foe\n"), ("List<Enemy>", "List<Foe>"), ("Dictionary<Pos, Enemy>", "Dictionary<Pos, Foe>"), ("new Enemy {", "new Foe {")]),
        ("name moves to a base class", [("public sealed class Enemy\n{\n    public string Name = \"\";", "public abstract class Creature { public string Name = \"\"; }\npublic sealed class Enemy : Creature\n{")]),
        ("world gains a list with items", [("public Queue<Pos> Path = new();", "public Queue<Pos> Path = new();\n    public List<string> Log = new() { \"started\" };")]),
        ("class renamed without FormerName", [("public sealed class Enemy\n", "public sealed class Foe\n"), ("List<Enemy>", "List<Foe>"), ("Dictionary<Pos, Enemy>", "Dictionary<Pos, Foe>"), ("new Enemy {", "new Foe {")]),
        ("class becomes a record", [("public sealed class Enemy\n", "public sealed record Enemy\n")]),
        ("fields reordered", [("    public Kind Kind;\n    public int Hp = 10;\n", "    public int Hp = 10;\n    public Kind Kind;\n")]),
        ("record gains an init property with a default", [("public sealed record Pos(int X, int Y);", "public sealed record Pos(int X, int Y) { public int Z { get; init; } = 5; }")]),
        ("enemy needs constructor arguments and gains a field", [("    public int Hp = 10;\n", "    public int Hp = 10;\n    public int Mana = 5;\n    public Enemy(string name) => Name = name;\n")]),
        ("flags field becomes nullable", [("    public Tags Tags;\n", "    public Tags? Tags;\n")]),
        ("hash set becomes a list", [("public HashSet<Kind> Seen", "public List<Kind> Seen")]),
        ("hash set becomes a sorted set", [("public HashSet<Kind> Seen", "public SortedSet<Kind> Seen")]),
        ("set of enums becomes a set of strings", [("public HashSet<Kind> Seen", "public HashSet<string> Seen")]),
        ("array becomes two-dimensional", [("public int[] Grid = new int[4];", "public int[,] Grid = new int[2, 2];")]),
        ("queue becomes an array", [("public Queue<Pos> Path = new();", "public Pos[] Path = [];")]),
        ("dictionary values become long", [("public SortedDictionary<string, int> Counts", "public SortedDictionary<string, long> Counts")]),
        ("dictionary keys become tuples", [("public Dictionary<Pos, Enemy> ByPos", "public Dictionary<(int, int), Enemy> ByPos")]),
        ("list of enemies becomes a dictionary", [("public List<Enemy> Enemies = new();", "public Dictionary<string, Enemy> Enemies = new();")]),
        ("subclass gains a field", [("public sealed class Bat : Creature { public int Wings = 2; }", "public sealed class Bat : Creature { public int Wings = 2; public bool Blind = true; }")]),
        ("base class gains a field", [("public abstract class Creature { public string Species = \"\"; }", "public abstract class Creature { public string Species = \"\"; public int Age = 1; }")]),
        ("subclass removed", [("public sealed class Slime : Creature { public double Size = 1.5; }", ""), ("w.Creatures.Add(new Slime { Species = \"slime\", Size = 2.5 });", "")]),
        ("subclass renamed with FormerName", [("public sealed class Slime : Creature", "[FormerName(\"Slime\")] public sealed class Ooze : Creature"), ("new Slime {", "new Ooze {")]),
        ("base class becomes an interface", [("public abstract class Creature { public string Species = \"\"; }", "public interface Creature { }"), ("public sealed class Bat : Creature { public int Wings = 2; }", "public sealed class Bat : Creature { public string Species = \"\"; public int Wings = 2; }"), ("public sealed class Slime : Creature { public double Size = 1.5; }", "public sealed class Slime : Creature { public string Species = \"\"; public double Size = 1.5; }")]),
        ("generic box gains a field", [("public sealed class Box<T> { public T? Item; public int Weight; }", "public sealed class Box<T> { public T? Item; public int Weight; public string Label = \"cage\"; }")]),
        ("generic box renamed with FormerName", [("public sealed class Box<T>", "[FormerName(\"Box\")] public sealed class Crate<T>"), ("public Box<Enemy> Cage", "public Crate<Enemy> Cage")]),
        ("boss becomes a list of bosses", [("public Enemy? Boss;", "public List<Enemy> Boss = new();")]),
        ("cycle's field renamed with FormerName", [("public Enemy? Target;", "[FormerName(\"Target\")] public Enemy? Foe;")]),
        // With the shape changed (Hp becomes a long): a snapshot's Enemy is then surely the old code's,
        // and a restart runs the migration as a reload does. (docs/STATE.md: with the shape unchanged, only a reload does.)
        ("state migration doubles hit points", [("public sealed class Enemy\n{", "public sealed class Enemy\n{\n    [StateMigration] static Enemy Up(StateObject old, Enemy migrated) { migrated.Hp = old.Get<int>(\"Hp\") * 2; return migrated; }"), ("public int Hp = 10;", "public long Hp = 10;")]),
    ];

    /// <summary>The edited source: the edit's replacements, and no more play (the state is the old code's).</summary>
    public static string Apply(string name)
    {
        var source = Game;
        foreach (var (from, to) in Edits.Single(e => e.Name == name).Replacements)
        {
            if (!source.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{name}: the source has no {from}");
            }

            source = source.Replace(from, to, StringComparison.Ordinal);
        }

        var play = source.IndexOf("/*PLAY*/", StringComparison.Ordinal);
        var end = source.IndexOf("/*END*/", StringComparison.Ordinal);
        return source[..play] + source[end..];
    }
}
