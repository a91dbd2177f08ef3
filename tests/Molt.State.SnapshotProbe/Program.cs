// A second process for the snapshot tests: restores the snapshot named on the command line and prints
// what it finds, one "key=value" line each, so the test can check a restart keeps the state.
using Molt;
using Molt.State;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Molt.State.SnapshotProbe <snapshot-path>");
    return 2;
}

using var store = new StateStore();
var restored = store.RestoreSnapshot(args[0]);
Console.WriteLine($"restored={restored.Restored}");
Console.WriteLine($"error={restored.Error?.Message ?? "none"}");

var counter = store.GetOrCreate("probe", "counter", () => -1, MigrationFailurePolicy.FailReload);
Console.WriteLine($"counter={counter.Value}");

var names = store.GetOrCreate("probe", "names", () => new List<string> { "initial" }, MigrationFailurePolicy.FailReload);
Console.WriteLine($"names={string.Join(",", names.Value)}");

var scores = store.GetOrCreate(StateStore.SharedScope, "scores", () => new Dictionary<string, long>(), MigrationFailurePolicy.FailReload);
Console.WriteLine($"scores={string.Join(",", scores.Value.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"))}");
return 0;
