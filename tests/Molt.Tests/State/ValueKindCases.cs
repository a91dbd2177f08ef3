namespace Molt.Tests.State;

/// <summary>The value kinds a real program keeps in state, each held by a module type and migrated by a reload of that module.</summary>
internal static class ValueKindCases
{
    public const string Module = """
        using System.Collections.Immutable;
        using System.Collections.Frozen;
        using System.Reflection;

        public sealed record Key(string Name /*KEY*/) : IComparable<Key>
        {
            public int CompareTo(Key? other) => /*COMPARE*/string.CompareOrdinal(Name, other?.Name);
        }

        public sealed record Tile(int Height);

        [Flags] public enum Access { None = 0, Read = 1, /*WRITE*/Write = 2 }

        public sealed class KeyComparer : IEqualityComparer<Key>
        {
            public bool Equals(Key? a, Key? b) => string.Equals(a?.Name, b?.Name, StringComparison.OrdinalIgnoreCase);
            public int GetHashCode(Key key) => StringComparer.OrdinalIgnoreCase.GetHashCode(key.Name);
        }

        public sealed class Holder
        {
            public FIELD Value { get; set; } = INITIAL;
        }

        public static class Probe
        {
            private static IPersistentState<Holder>? s_state;
            internal static void Attach(IPersistentState<Holder> state) => s_state = state;
            public static int Twice(int x) => x * FACTOR;
            public static int ByName(Key? a, Key? b) => string.CompareOrdinal(a?.Name, b?.Name);
            public static bool SameName(Key? a, Key? b) => a?.Name == b?.Name;
            public static int NameHash(Key key) => key.Name.GetHashCode();
            private static readonly List<Key> s_kept = [];
            public static WeakReference Weakly(Key key) { s_kept.Add(key); return new WeakReference(key); }
            public static IEnumerator<int> Count() { yield return 1; yield return 2; }
            [Export] public static string Check() { var v = s_state!.Value.Value; return $"CHECK"; }
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Probe.Attach(context.State("holder", () => new Holder()));
                return ValueTask.CompletedTask;
            }
        }
        """;

    public static IReadOnlyList<ValueKindCase> All { get; } =
    [
        new("hash set of module records", "HashSet<Key>", "new() { new(\"a\"), new(\"b\") }", "{v.Contains(new Key(\"a\"))}/{v.Count}", "True/2"),
        new("dictionary with a module comparer", "Dictionary<Key, int>", "new(new KeyComparer()) { [new(\"a\")] = 1 }", "{v[new Key(\"A\")]}/{v.Comparer is KeyComparer}", "1/True"),
        new("immutable hash set", "ImmutableHashSet<Key>", "ImmutableHashSet.Create(new Key(\"a\"))", "{v.Contains(new Key(\"a\"))}", "True"),
        new("immutable sorted dictionary", "ImmutableSortedDictionary<Key, int>", "ImmutableSortedDictionary.CreateRange(new[] { KeyValuePair.Create(new Key(\"b\"), 2), KeyValuePair.Create(new Key(\"a\"), 1) })", "{v.Keys.First().Name}{v[new Key(\"b\")]}", "a2"),
        new("sorted set", "SortedSet<Key>", "new() { new(\"b\"), new(\"a\") }", "{v.Min!.Name}/{v.Contains(new Key(\"b\"))}", "a/True"),
        new("frozen set", "FrozenSet<Key>", "new[] { new Key(\"a\") }.ToFrozenSet()", "{v.Contains(new Key(\"a\"))}", "True"),
        new("Type of a module type", "Dictionary<string, Type>", "new() { [\"key\"] = typeof(Key) }", "{v[\"key\"] == typeof(Key)}", "True"),
        new("MethodInfo of a module method", "MethodInfo", "typeof(Probe).GetMethod(\"Twice\")!", "{v == typeof(Probe).GetMethod(\"Twice\")}", "True"),
        new("delegate to a named method", "Func<int, int>", "Probe.Twice", "{v(2)}", "4") { Edit = ("x * FACTOR", "x * 3"), ExpectedAfter = "6" },
        new("two-dimensional array of records", "Tile[,]", "new Tile[,] { { new(1), new(2) }, { new(3), new(4) } }", "{v[1, 0] is Tile}/{v[1, 0].Height}/{v.GetLength(1)}", "True/3/2"),
        new("list becoming an array", "List<Key>", "new() { new(\"a\") }", "{v.Count()}", "1") { Edit = ("public List<Key> Value { get; set; } = new() { new(\"a\") };", "public Key[] Value { get; set; } = [];"), ExpectedAfter = "1" },
        new("int becoming long", "int", "7", "{v + 1}", "8") { Edit = ("public int Value { get; set; } = 7;", "public long Value { get; set; } = 0;"), ExpectedAfter = "8" },
        new("int becoming int?", "int", "7", "{v}", "7") { Edit = ("public int Value { get; set; } = 7;", "public int? Value { get; set; }"), ExpectedAfter = "7" },
        new("lambda", "Func<int, int>", "x => x + 1", "{v(1)}", null, "lambda"),
        new("iterator", "IEnumerator<int>", "Probe.Count()", "{v.Current}", null, "iterator"),
        new("LINQ query over a module lambda", "IEnumerable<int>", "new List<int> { 1, 2 }.Where(x => x > 1)", "{v.Count()}", null, "framework object"),
        new("keys that collide after the edit", "Dictionary<Key, int>", "new() { [new(\"a\", 1)] = 1, [new(\"a\", 2)] = 2 }", "{v.Count}", null, "became equal")
        {
            Edit = ("(string Name /*KEY*/, int Tag)", "(string Name /*KEY*/)"),
        },
        new("ordered dictionary (hashed by the new types)", "OrderedDictionary<Key, int>", "new() { [new(\"b\")] = 2, [new(\"a\")] = 1 }", "{v[new Key(\"a\")]}/{v.GetAt(0).Key.Name}", "1/b"),
        new("priority queue (ordered by the new CompareTo)", "PriorityQueue<string, Key>", "new(new[] { (\"x\", new Key(\"b\")), (\"y\", new Key(\"a\")), (\"z\", new Key(\"c\")) })", "{v.Peek()}/{v.Count}", "y/3")
        {
            Edit = ("/*COMPARE*/string.CompareOrdinal(Name, other?.Name)", "string.CompareOrdinal(other?.Name, Name)"),
            ExpectedAfter = "z/3",
        },
        new("priority queue of module elements", "PriorityQueue<Key?, int>", "new(new[] { (new Key(\"a\"), 2), ((Key?)null, 1), (new Key(\"b\"), 1) })", "{string.Join(',', v.UnorderedItems.Select(i => i.Element?.Name ?? \"-\"))}", "-,a,b"),
        new("created Lazy", "Lazy<Key>", "new(new Key(\"a\"))", "{v.Value.Name}/{v.Value is Key}", "a/True"),
        new("read-only collection", "System.Collections.ObjectModel.ReadOnlyCollection<Key>", "new List<Key> { new(\"a\") }.AsReadOnly()", "{v[0] is Key}/{v[0].Name}", "True/a"),
        new("default comparer", "IEqualityComparer<Key>", "EqualityComparer<Key>.Default", "{v.Equals(new Key(\"a\"), new Key(\"a\"))}", "True"),
        new("comparer from a named method", "IComparer<Key>", "Comparer<Key>.Create(Probe.ByName)", "{v.Compare(new Key(\"a\"), new Key(\"b\"))}", "-1"),
        new("equality comparer from named methods", "IEqualityComparer<Key>", "EqualityComparer<Key>.Create(Probe.SameName, Probe.NameHash)", "{v.Equals(new Key(\"a\"), new Key(\"a\"))}", "True"),
        new("weak reference to a module object", "WeakReference<Key>", "new(new Key(\"a\"))", "{v is not null}", null, "framework object over"),
        new("untyped weak reference to a module object", "WeakReference", "Probe.Weakly(new Key(\"a\"))", "{v.Target is Key}", null, "holds an object of Key"),
        new("conditional weak table", "System.Runtime.CompilerServices.ConditionalWeakTable<Key, string>", "new()", "{v.Count()}", null, "framework object over"),
        new("thread-local", "ThreadLocal<Key>", "new() { Value = new Key(\"a\") }", "{v.IsValueCreated}", null, "framework object over"),
        new("task", "Task<Key>", "Task.FromResult(new Key(\"a\"))", "{v.Result.Name}", null, "framework object over"),
        new("lookup", "ILookup<Key, int>", "new[] { 1, 2 }.ToLookup(i => new Key(i.ToString()))", "{v[new Key(\"1\")].Count()}", null, "framework object over"),
        new("enum member renamed", "Access", "(Access)2", "{v}", "Write") { Edit = ("/*WRITE*/Write = 2", "[FormerName(\"Write\")] Modify = 2"), ExpectedAfter = "Modify" },
        new("flags renamed and renumbered", "Access", "(Access)3", "{v}/{(int)v}", "Read, Write/3")
        {
            Edit = ("None = 0, Read = 1, /*WRITE*/Write = 2", "None = 0, [FormerName(\"Write\")] Modify = 1, Read = 4"),
            ExpectedAfter = "Modify, Read/5",
        },
        new("flags with no name", "Access", "(Access)8", "{v}", "8"),
        new("enum member removed", "Access", "Access.Write", "{v}", null, "has no member Write (if it was renamed, mark the new member [FormerName(\"Write\")])")
        {
            Edit = ("/*WRITE*/Write = 2", "Change = 2"),
        },
        new("sorted set whose new CompareTo throws", "SortedSet<Key>", "new() { new(\"b\"), new(\"a\") }", "{v.Count}", null, "CompareTo")
        {
            Edit = ("/*COMPARE*/", "throw new InvalidOperationException(\"CompareTo is broken\"); //"),
        },
    ];

    /// <summary>The case's first version and its edit (which reloads the module, so every value in it migrates).</summary>
    public static (string Before, string After) Sources(ValueKindCase @case)
    {
        var before = Module
            .Replace("FIELD", @case.FieldType, StringComparison.Ordinal)
            .Replace("INITIAL", @case.Initial, StringComparison.Ordinal)
            .Replace("CHECK", @case.Check, StringComparison.Ordinal);
        if (@case.Name.StartsWith("keys that collide", StringComparison.Ordinal))
        {
            before = before.Replace("(string Name /*KEY*/)", "(string Name /*KEY*/, int Tag)", StringComparison.Ordinal)
                .Replace("new(\"a\")", "new(\"a\", 0)", StringComparison.Ordinal);
        }

        var after = before.Replace("Tile(int Height)", "Tile(int Height, int Moisture = 0)", StringComparison.Ordinal);
        if (@case.Expected is null)
        {
            // The new code's own initialiser must not be what fails: the migration of the old value must.
            var initial = before.Split('\n').Single(l => l.Contains("public " + @case.FieldType + " Value", StringComparison.Ordinal));
            after = after.Replace(initial, $"    public {@case.FieldType} Value {{ get; set; }} = default!;", StringComparison.Ordinal);
        }

        after = @case.Edit is var (from, to) ? after.Replace(from, to, StringComparison.Ordinal) : after;
        return (before.Replace("FACTOR", "2", StringComparison.Ordinal), after.Replace("FACTOR", "2", StringComparison.Ordinal));
    }
}
