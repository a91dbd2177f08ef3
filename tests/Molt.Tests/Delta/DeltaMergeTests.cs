namespace Molt.Tests.Delta;

/// <summary>
/// A corpus of edits applied one after another to one folder module. Each edit is compiled on the
/// previous compile (a body edit is merged as a delta) and from nothing with partial compiles off;
/// the two images must agree on behaviour, stack-trace lines, metadata, debug information and
/// warnings, and each edit must take the path it is listed with.
/// </summary>
public sealed class DeltaMergeTests
{
    private static readonly Dictionary<string, string> Program = new()
    {
        ["Counter.cs"] = """
            namespace App;

            public sealed class Counter
            {
                private int _count;
                private readonly string _name = "counter";

                public Counter() { _count = 1; }

                public int Next() { return ++_count; }

                public string Name => _name + ":" + _count;

                public string Describe(int x)
                {
                    var total = 0;
                    for (var i = 0; i < x; i++) { total += i; }
                    return $"{_name} {total}";
                }

                public static T Pick<T>(T a, T b) => a;

                public static class Nested
                {
                    public static int Twice(int v) => v * 2;
                }
            }

            public sealed class Box<T>(T value)
            {
                public T Get()
                {
                    return value;
                }

                public string Show(string prefix = "box", int width = 3)
                {
                    return prefix + width + value;
                }
            }
            """,
        ["Text.cs"] = """
            namespace App;

            public static class Text
            {
                public static string Greet(string who) { return "hello " + who; }
            }

            public static class Thrower
            {
                public static void Throw()
                {
                    throw new InvalidOperationException("boom");
                }
            }
            """,
        ["Probe.cs"] = """
            namespace App;

            public static class Probe
            {
                public static string Run()
                {
                    var c = new Counter();
                    var parts = new List<string>();
                    parts.Add(c.Next().ToString());
                    parts.Add(c.Name);
                    parts.Add(c.Describe(5));
                    parts.Add(Counter.Pick("a", "b"));
                    parts.Add(Counter.Nested.Twice(21).ToString());
                    parts.Add(Text.Greet("x"));
                    parts.Add(new Box<int>(4).Get() + new Box<string>("s").Show());
                    return string.Join("|", parts);
                }

                public static string Fail()
                {
                    try { Thrower.Throw(); return "no"; }
                    catch (Exception e) { return e.StackTrace ?? "none"; }
                }
            }
            """,
    };

    /// <summary>(what, file, text to find, replacement, merged as a delta?).</summary>
    public static TheoryData<string, string, string, string, bool> Edits => new()
    {
        { "a literal", "Text.cs", "\"hello \"", "\"hi \"", true },
        { "a new string and API", "Text.cs", "return \"hi \" + who;", "return \"hey \" + who + Environment.ProcessorCount * 0 + new List<DateTime>().Count;", true },
        { "lines added above a method", "Text.cs", "    public static void Throw()\n    {", "    public static void Throw()\n    {\n        var unused = 1;\n        _ = unused;\n", true },
        { "a try/finally and locals", "Counter.cs", "return $\"{_name} {total}\";", "string text;\n        try { text = $\"{_name} {total}\"; }\n        finally { total = -1; }\n        return text + total;", true },
        { "an expression-bodied property", "Counter.cs", "public string Name => _name + \":\" + _count;", "public string Name => _name + \"=\" + (_count * 10);", true },
        { "a constructor body", "Counter.cs", "public Counter() { _count = 1; }", "public Counter() { _count = 5; }", true },
        { "a generic method", "Counter.cs", "public static T Pick<T>(T a, T b) => a;", "public static T Pick<T>(T a, T b) => EqualityComparer<T>.Default.Equals(a, b) ? a : b;", true },
        { "a nested type's method", "Counter.cs", "public static int Twice(int v) => v * 2;", "public static int Twice(int v) => checked(v * 3);", true },
        { "lines removed above a method", "Text.cs", "\n        var unused = 1;\n        _ = unused;\n", "", true },
        { "a lambda", "Text.cs", "return \"hey \" + who", "return \"hey \" + Enumerable.Range(0, 1).Select(i => i + 1).Sum() + who", false },
        { "a lambda removed", "Text.cs", "return \"hey \" + Enumerable.Range(0, 1).Select(i => i + 1).Sum() + who", "return \"yo \" + who", false },
        { "a new method", "Text.cs", "public static string Greet(string who)", "public static int Added() => 1;\n    public static string Greet(string who)", false },
        { "a body after a new method", "Text.cs", "return \"yo \" + who", "return \"sup \" + who + Added()", true },
        { "a changed signature", "Counter.cs", "public int Next()", "public long Next()", false },
        { "an array initialiser", "Counter.cs", "var total = 0;", "var total = new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }[0];", false },
        { "a switch on a string", "Text.cs", "\"sup \" + who + Added()", "(who switch { \"a\" => \"1\", \"b\" => \"2\", \"c\" => \"3\", \"d\" => \"4\", \"e\" => \"5\", \"f\" => \"6\", \"g\" => \"7\", _ => \"sup \" + who }) + Added()", false },
        { "a new field use", "Counter.cs", "public Counter() { _count = 5; }", "public Counter() { _count = 5; _unused = 2; }\n    private int _unused;", false },
        { "a comment between members", "Text.cs", "public static class Thrower", "// thrower\npublic static class Thrower", false },
        { "a generic type's method", "Counter.cs", "        return value;\n", "        return EqualityComparer<T>.Default.Equals(value, default) ? default! : value;\n", true },
        { "a method with optional parameters", "Counter.cs", "return prefix + width + value;", "return prefix + (width * 2) + value;", true },
        { "a body with a warning", "Counter.cs", "public long Next() { return ++_count; }", "public long Next() { int never; return ++_count; }", true },
        { "a body without the warning", "Counter.cs", "public long Next() { int never; return ++_count; }", "public long Next() { return _count += 2; }", true },
    };

    [Fact]
    public void EveryEditOfTheCorpusGivesTheImageAFullCompileGives()
    {
        var oracle = new DeltaOracle();
        var files = new Dictionary<string, string>(Program);
        var (first, firstMerged, firstWhole) = oracle.Compile(files);
        Assert.False(first.MergedDelta);
        Assert.Equal(firstWhole, firstMerged);

        foreach (var row in Edits)
        {
            var (what, file, find, replace, merged) = ((string)row[0], (string)row[1], (string)row[2], (string)row[3], (bool)row[4]);
            Assert.True(files[file].Contains(find, StringComparison.Ordinal), $"{what}: '{find}' is not in {file}");
            files[file] = files[file].Replace(find, replace, StringComparison.Ordinal);
            var (module, mergedView, wholeView) = oracle.Compile(files);
            Assert.True(merged == module.MergedDelta, $"{what}: merged {module.MergedDelta}, expected {merged} ({module.DeltaRefused})");
            Assert.True(wholeView == mergedView, $"{what}: {FirstDifference(wholeView, mergedView)}");
        }
    }

    internal static string FirstDifference(string whole, string merged)
    {
        var (a, b) = (whole.Split('\n'), merged.Split('\n'));
        var at = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], -1);
        return at < 0 ? $"{a.Length} lines against {b.Length}" : $"line {at}:\n  full compile: {a[at]}\n  merged:       {b[at]}";
    }
}
