namespace Molt.Harness.Infrastructure;

/// <summary>The small single-file module of the latency, watch and downtime items, in its body-edit and structural-edit variants.</summary>
internal static class SmallModule
{
    private const string Common = """
        public sealed record Reading(string Sensor, double Value, DateTime At);

        public static class Readings
        {
            public static IReadOnlyList<Reading> Sample(int count) =>
                Enumerable.Range(0, count)
                    .Select(i => new Reading($"s{i % 4}", Math.Sin(i) * 10, new DateTime(2024, 1, 1).AddMinutes(i)))
                    .ToList();

            public static Dictionary<string, double> Averages(IEnumerable<Reading> readings) =>
                readings.GroupBy(r => r.Sensor).ToDictionary(g => g.Key, g => Math.Round(g.Average(r => r.Value), 3));

            public static string Describe(IReadOnlyList<Reading> readings)
            {
                var averages = Averages(readings);
                return string.Join(", ", averages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            }
        }
        """;

    /// <summary>Version <paramref name="version"/> of the module after a body edit: <c>Calc.Value()</c> returns <paramref name="version"/>.</summary>
    public static string Body(int version) => $$"""
        {{Common}}

        public static class Calc
        {
            [Export] public static int Value() => {{version}};

            [Export] public static int Work(int n) => Readings.Sample(n).Count(r => r.Value > 0);
        }
        """;

    /// <summary>
    /// Version <paramref name="version"/> after a structural edit: a new record type, a new static
    /// field and a helper whose signature differs from the previous version's; <c>Calc.Value()</c>
    /// returns <paramref name="version"/>. The result does not depend on the new field's
    /// initializer (hot reload adds fields without running initializers).
    /// </summary>
    public static string Structural(int version)
    {
        var (helper, call) = (version % 3) switch
        {
            0 => ("private static int Helper(int a) => a;", $"Helper({version})"),
            1 => ($"private static int Helper(int a, Shape{version} shape) => a + (int)(shape.Area * 0);", $"Helper({version}, new Shape{version}(1, 2))"),
            _ => ("private static long Helper(string a) => long.Parse(a, System.Globalization.CultureInfo.InvariantCulture);", $"(int)Helper(\"{version}\")"),
        };
        return $$"""
            {{Common}}

            public sealed record Shape{{version}}(double Width, double Height)
            {
                public double Area => Width * Height;
            }

            public static class Calc
            {
                private static int s_calls{{version}};

                {{helper}}

                [Export]
                public static int Value()
                {
                    s_calls{{version}}++;
                    return {{call}};
                }

                [Export] public static int Work(int n) => Readings.Sample(n).Count(r => r.Value > 0);
            }
            """;
    }

    /// <summary>
    /// Version <paramref name="version"/> after an edit that hot reload cannot apply (a rude edit):
    /// the <c>Settings</c> type flips between a record class and a record struct.
    /// </summary>
    public static string Rude(int version) => $$"""
        {{Common}}

        public {{(version % 2 == 0 ? "readonly record struct" : "sealed record")}} Settings(int Version);

        public static class Calc
        {
            [Export] public static int Value() => new Settings({{version}}).Version;

            [Export] public static int Work(int n) => Readings.Sample(n).Count(r => r.Value > 0);
        }
        """;
}
