using System.Diagnostics;
using Xunit.Abstractions;

namespace Molt.State.Tests;

/// <summary>Prints how long migrating many small objects takes; it asserts the result, never the time.</summary>
public sealed class MigrationTimings(ITestOutputHelper output)
{
    private const string Source = """
        using System.Collections.Generic;
        namespace Bench;
        public sealed class Cell { public int X; public string Name = ""; public double Weight { get; set; } }
        public static class Factory
        {
            public static List<Cell> Make(int count)
            {
                var cells = new List<Cell>(count);
                for (var i = 0; i < count; i++) cells.Add(new Cell { X = i, Name = "n", Weight = i / 2.0 });
                return cells;
            }
        }
        """;

    [Theory]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void MigratingSmallObjects(int count)
    {
        using var store = new StateStore();
        var image = Generation.Build(Source);
        var v1 = Generation.Load(image);
        var cells = v1.Call("Bench.Factory", "Make", count);
        store.GetOrCreate("bench", "cells", () => cells, MigrationFailurePolicy.FailReload);

        var v2 = Generation.Load(image);
        var clock = Stopwatch.StartNew();
        using var transaction = v2.MigrateFrom(store, v1);
        var staged = clock.Elapsed;
        var report = transaction.Commit();
        clock.Stop();

        Assert.True(report.Succeeded, report.ToString());
        dynamic migrated = store.GetOrCreate<object?>("bench", "cells", () => null, MigrationFailurePolicy.FailReload).Value!;
        Assert.Equal(count, (int)migrated.Count);
        Assert.Equal(v2.Type("Bench.Cell"), (Type)migrated[count - 1].GetType());
        Assert.Equal(count - 1, (int)migrated[count - 1].X);
        output.WriteLine($"{count:N0} objects: staged in {staged.TotalMilliseconds:F0} ms, committed in {clock.Elapsed.TotalMilliseconds:F0} ms ({clock.Elapsed.TotalNanoseconds / count:F0} ns per object)");
    }
}
