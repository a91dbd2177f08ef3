namespace Molt.State.Tests;

/// <summary>The module sources the tests compile, one generation each.</summary>
internal static class Sources
{
    public const string Counter = """
        using Molt;
        using Molt.State.Tests;
        namespace Counter;
        public sealed class Tally
        {
            public int Count { get; set; }
        }
        public static class Module
        {
            public static IPersistentState<Tally> State(IStateProvider state) => state.State("tally", () => new Tally());
            public static int Bump(IStateProvider state) => State(state).Update(t => new Tally { Count = t.Count + 1 }).Count;
            public static int Read(IStateProvider state) => State(state).Value.Count;
        }
        """;

    public const string SharedBox = """
        using Molt;
        using Molt.State.Tests;
        namespace Shared;
        public sealed class Box
        {
            public int Count { get; set; }
        }
        public sealed class Holder
        {
            public Box Box { get; set; } = new();
        }
        public static class Module
        {
            public static IPersistentState<Holder> A(IStateProvider state) => state.State("a", () => new Holder());
            public static IPersistentState<Holder> B(IStateProvider state) => state.State("b", () => new Holder { Box = A(state).Value.Box });
            public static int Bump(IStateProvider state) => A(state).Update(h => { h.Box.Count++; return new Holder { Box = h.Box }; }).Box.Count;
            public static bool OneBox(IStateProvider state) => ReferenceEquals(A(state).Value.Box, B(state).Value.Box);
            public static int CountOfB(IStateProvider state) => B(state).Value.Box.Count;
        }
        """;

    public const string PlayerV1 = """
        using Molt;
        using Molt.State.Tests;
        namespace Game;
        public sealed record Stats(string Score);
        public sealed record Player(string Name, int Lives, Stats Stats);
        public static class Module
        {
            public static IPersistentState<Player> State(IStateProvider state) =>
                state.State("player", () => new Player("nobody", 0, new Stats("0")));
        }
        """;

    public const string PlayerV2 = """
        using Molt;
        using Molt.State.Tests;
        namespace Game;
        public sealed record Stats(int Score);
        public sealed record Player(string Name, Stats Stats)
        {
            public int Level { get; init; } = 7;
        }
        public static class Migrations
        {
            // Score was a string in the previous generation.
            [StateMigration]
            public static Stats Stats(StateObject old) => new(old["Score"] is string s ? int.Parse(s) : old.Get<int>("Score"));
        }
        public static class Module
        {
            public static IPersistentState<Player> State(IStateProvider state) =>
                state.State("player", () => new Player("nobody", new Stats(0)));
        }
        """;

    public const string SecretsV1 = """
        using Molt;
        using Molt.State.Tests;
        namespace Vault;
        public class Base
        {
            private string _origin = "unset";
            public string Origin => _origin;
            public void SetOrigin(string origin) => _origin = origin;
        }
        public sealed class Secrets : Base
        {
            private int _secret;
            public int Hits { get; private set; }
            public string Name { get; set; } = "";
            public void Hide(int secret) { _secret = secret; Hits++; }
            public int Reveal() => _secret;
        }
        public static class Module
        {
            public static IPersistentState<Secrets> State(IStateProvider state) => state.State("secrets", () => new Secrets());
        }
        """;

    public const string SecretsV2 = """
        using Molt;
        using Molt.State.Tests;
        namespace Vault;
        public class Base
        {
            private string _origin = "unset";
            public string Origin => _origin;
        }
        public sealed class Secrets : Base
        {
            private int _secret;
            private string _name = "";
            public int Hits { get; private set; }
            public string Name => _name;
            public int Reveal() => _secret * 10;
        }
        public static class Module
        {
            public static IPersistentState<Secrets> State(IStateProvider state) => state.State("secrets", () => new Secrets());
        }
        """;

    public const string Graph = """
        using Molt;
        using Molt.State.Tests;
        namespace Graph;
        public sealed class Node
        {
            public string Id = "";
            public Node? Next;
            public Node? Other;
        }
        public static class Module
        {
            public static IPersistentState<Node> State(IStateProvider state) => state.State("graph", () => Build());
            public static Node Build()
            {
                var a = new Node { Id = "a" };
                var b = new Node { Id = "b", Next = a };
                var shared = new Node { Id = "shared" };
                a.Next = b;
                a.Other = shared;
                b.Other = shared;
                return a;
            }
        }
        """;

    public const string BagV1 = """
        using System.Collections.Generic;
        using Molt;
        using Molt.State.Tests;
        namespace Bags;
        public enum Color { Red, Green, Blue }
        public struct Point { public int X; public int Y; }
        public sealed class Item { public string Label = ""; public Color Color; }
        public sealed class Bag
        {
            public Color Favourite = Color.Green;
            public List<Point> Points = new();
            public Point[] Corners = new Point[2];
            public Point? Maybe;
            public Dictionary<string, Item> Items = new();
            public Dictionary<Color, int> CountByColor = new();
            public HashSet<Color> Colors = new();
            public Stack<string> Undo = new();
            public Queue<int> Pending = new();
            public List<object> Mixed = new();
            public int Small = 5;
            public float Ratio = 0.5f;
            public List<int> Plain = new() { 1, 2, 3 };
        }
        public static class Module
        {
            public static IPersistentState<Bag> State(IStateProvider state) => state.State("bag", () => Fill());
            public static Bag Fill()
            {
                var bag = new Bag { Favourite = Color.Blue, Maybe = new Point { X = 9, Y = 9 } };
                bag.Points.Add(new Point { X = 1, Y = 2 });
                bag.Points.Add(new Point { X = 3, Y = 4 });
                bag.Corners[1] = new Point { X = 5, Y = 6 };
                var pen = new Item { Label = "pen", Color = Color.Red };
                bag.Items["pen"] = pen;
                bag.Items["alias"] = pen;
                bag.CountByColor[Color.Red] = 1;
                bag.CountByColor[Color.Blue] = 2;
                bag.Colors.Add(Color.Green);
                bag.Undo.Push("first");
                bag.Undo.Push("second");
                bag.Pending.Enqueue(10);
                bag.Pending.Enqueue(20);
                bag.Mixed.Add(pen);
                bag.Mixed.Add("text");
                return bag;
            }
        }
        """;

    // Enum renumbered and reordered, struct gains Z with an initialiser, widened numbers.
    public const string BagV2 = """
        using System.Collections.Generic;
        using Molt;
        using Molt.State.Tests;
        namespace Bags;
        public enum Color { Purple = 0, Blue = 10, Green = 20, Red = 30 }
        public struct Point { public int X; public int Y; public int Z = 100; public Point() { } }
        public sealed class Item { public string Label = ""; public Color Color; }
        public sealed class Bag
        {
            public Color Favourite;
            public List<Point> Points = new();
            public Point[] Corners = new Point[0];
            public Point? Maybe;
            public Dictionary<string, Item> Items = new();
            public Dictionary<Color, int> CountByColor = new();
            public HashSet<Color> Colors = new();
            public Stack<string> Undo = new();
            public Queue<int> Pending = new();
            public List<object> Mixed = new();
            public long Small;
            public double Ratio;
            public List<int> Plain = new();
        }
        public static class Module
        {
            public static IPersistentState<Bag> State(IStateProvider state) => state.State("bag", () => new Bag());
        }
        """;

    public const string TeamV1 = """
        using System.Collections.Generic;
        using Molt;
        using Molt.State.Tests;
        namespace Teams;
        public sealed class Player { public string Name = ""; public string Score = ""; }
        public sealed class Team { public List<Player> Players = new(); }
        public static class Module
        {
            public static IPersistentState<Team> State(IStateProvider state, MigrationFailurePolicy policy) =>
                state.State("Game", () => Make(), policy);
            public static Team Make()
            {
                var team = new Team();
                for (var i = 0; i < 5; i++) team.Players.Add(new Player { Name = "p" + i, Score = "s" + i });
                return team;
            }
        }
        """;

    public const string TeamV2 = """
        using System.Collections.Generic;
        using Molt;
        using Molt.State.Tests;
        namespace Teams;
        public sealed class Player { public string Name = ""; public int Score; }
        public sealed class Team { public List<Player> Players = new(); public string Motto = "fresh"; }
        public static class Module
        {
            public static IPersistentState<Team> State(IStateProvider state, MigrationFailurePolicy policy) =>
                state.State("Game", () => new Team(), policy);
        }
        """;
}
