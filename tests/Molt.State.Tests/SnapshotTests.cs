using System.Diagnostics;

namespace Molt.State.Tests;

public sealed class SnapshotTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("molt-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AModuleValueRoundTripsThroughAFileIntoAFreshlyCompiledGeneration()
    {
        var path = Path.Combine(_directory, "state.json");
        using (var store = new StateStore())
        {
            var v1 = Generation.Compile(Sources.BagV1);
            _ = v1.Call("Bags.Module", "State", new StoreProvider(store));
            _ = Generation.Compile(Sources.Graph).Call("Graph.Module", "State", new StoreProvider(store));
            var written = store.WriteSnapshot(path);
            Assert.Equal(2, written.Written);
            Assert.Empty(written.Skipped);
        }

        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
        using var restored = new StateStore();
        var result = restored.RestoreSnapshot(path);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.Restored);

        // A restart: the module types only exist once the module is compiled and loaded again.
        var bags = Generation.Compile(Sources.BagV2);
        var graph = Generation.Compile(Sources.Graph);
        using var transaction = restored.BeginMigration(_ => false, name => bags.Resolve(name) ?? graph.Resolve(name));
        dynamic bagHandle = bags.Call("Bags.Module", "State", new TransactionProvider(transaction))!;
        dynamic graphHandle = graph.Call("Graph.Module", "State", new TransactionProvider(transaction))!;
        var report = transaction.Commit();
        Assert.True(report.Succeeded, report.ToString());

        dynamic bag = bagHandle.Value;
        Assert.Equal(10, (int)bag.Favourite);
        Assert.Equal(3, (int)bag.Points[1].X);
        Assert.Same(bag.Items["pen"], bag.Items["alias"]);
        Assert.Same(bag.Items["pen"], bag.Mixed[0]);
        Assert.Equal("second", (string)bag.Undo.Peek());
        Assert.Equal(5L, (long)bag.Small);
        Assert.Equal(0.5d, (double)bag.Ratio);

        dynamic a = graphHandle.Value;
        Assert.Same(a, a.Next.Next);
        Assert.Same(a.Other, a.Next.Other);
    }

    [Fact]
    public async Task ASecondProcessRestoresTheSnapshot()
    {
        var path = Path.Combine(_directory, "state.json");
        using (var store = new StateStore())
        {
            store.GetOrCreate("probe", "counter", () => 41, MigrationFailurePolicy.FailReload).Update(n => n + 1);
            store.GetOrCreate("probe", "names", () => new List<string> { "ann", "bob" }, MigrationFailurePolicy.FailReload);
            store.GetOrCreate(StateStore.SharedScope, "scores", () => new Dictionary<string, long> { ["ann"] = 5_000_000_000, ["bob"] = 7 }, MigrationFailurePolicy.FailReload);
            Assert.Equal(3, store.WriteSnapshot(path).Written);
        }

        var output = await RunProbe(path);

        Assert.Contains("restored=3", output);
        Assert.Contains("error=none", output);
        Assert.Contains("counter=42", output);
        Assert.Contains("names=ann,bob", output);
        Assert.Contains("scores=ann:5000000000,bob:7", output);
    }

    [Fact]
    public async Task ATruncatedSnapshotIsReportedAndTheProcessStartsFromInitialValues()
    {
        var path = Path.Combine(_directory, "state.json");
        using (var store = new StateStore())
        {
            store.GetOrCreate("probe", "counter", () => 41, MigrationFailurePolicy.FailReload);
            store.WriteSnapshot(path);
        }

        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        using var restored = new StateStore();
        var result = restored.RestoreSnapshot(path);
        Assert.False(result.Succeeded);
        Assert.Equal(0, result.Restored);
        Assert.Equal(path, result.Error!.FilePath);
        Assert.Contains("line 1", result.Error.Location);
        Assert.Contains("corrupt or truncated", result.Error.Message);
        Assert.Equal(-1, restored.GetOrCreate("probe", "counter", () => -1, MigrationFailurePolicy.FailReload).Value);

        var output = await RunProbe(path);
        Assert.Contains("restored=0", output);
        Assert.Contains("counter=-1", output);
        Assert.Contains("names=initial", output);
    }

    [Fact]
    public void ASnapshotOfAnotherFormatOrVersionIsReportedWithItsLocation()
    {
        var path = Path.Combine(_directory, "state.json");
        File.WriteAllText(path, """{"format":"molt-state","version":99,"slots":[]}""");
        using var store = new StateStore();
        var result = store.RestoreSnapshot(path);
        Assert.Contains("version 99", result.Error!.Reason);

        File.WriteAllText(path, """{"format":"molt-state","version":1,"slots":[{"scope":"m","name":"n","value":{"$p":"Int64","v":"nope"}}]}""");
        result = store.RestoreSnapshot(path);
        Assert.Equal("$.slots[0].value", result.Error!.Location);

        File.WriteAllText(path, """{"format":"molt-state","version":1,"slots":[{"scope":"m","name":"n","value":{"$id":1,"$type":"System.Int32[,]","$lengths":[2,2],"$items":[1,2,3]}}]}""");
        result = store.RestoreSnapshot(path);
        Assert.Equal("$.slots[0].value.$lengths", result.Error!.Location);
        Assert.Contains("product is its number of items", result.Error.Reason);
    }

    [Fact]
    public void AMultiDimensionalArrayRoundTripsWithItsLengths()
    {
        var path = Path.Combine(_directory, "state.json");
        using (var store = new StateStore())
        {
            store.GetOrCreate("host", "grid", () => new[,] { { 1, 2, 3 }, { 4, 5, 6 } }, MigrationFailurePolicy.FailReload);
            store.GetOrCreate("host", "empty", () => new string[0, 4], MigrationFailurePolicy.FailReload);
            Assert.Empty(store.WriteSnapshot(path).Skipped);
        }

        using var restored = new StateStore();
        Assert.True(restored.RestoreSnapshot(path).Succeeded);
        var grid = restored.GetOrCreate("host", "grid", () => new int[0, 0], MigrationFailurePolicy.FailReload).Value;
        Assert.Equal((2, 3, 4), (grid.GetLength(0), grid.GetLength(1), grid[1, 0]));
        var empty = restored.GetOrCreate("host", "empty", () => new string[1, 1], MigrationFailurePolicy.FailReload).Value;
        Assert.Equal((0, 4), (empty.GetLength(0), empty.GetLength(1)));
    }

    [Fact]
    public void AValueWithNoNeutralFormIsSkippedAndReported()
    {
        var path = Path.Combine(_directory, "state.json");
        using var store = new StateStore();
        store.GetOrCreate("host", "callback", () => new Action(() => { }), MigrationFailurePolicy.FailReload);
        store.GetOrCreate("host", "ok", () => "fine", MigrationFailurePolicy.FailReload);
        var written = store.WriteSnapshot(path);
        Assert.Equal(1, written.Written);
        Assert.Contains(written.Skipped, s => s.StartsWith("host/callback", StringComparison.Ordinal));
    }

    private static async Task<string> RunProbe(string snapshot)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "Molt.State.SnapshotProbe.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing");
        var start = new ProcessStartInfo("dotnet", [probe, snapshot]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }
}
