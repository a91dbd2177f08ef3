using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>
/// A job scheduler's state: a priority queue and an ordered dictionary of module objects, rebuilt
/// through their API (ordered and hashed by the new types), live and through a snapshot.
/// </summary>
public sealed class QueueStateTests
{
    private const string Scheduler = """
        public sealed record JobId(string Name);
        public sealed record Job(JobId Id, int Cost /*JOB*/);
        public readonly record struct Urgency(int Level) : IComparable<Urgency>
        {
            public int CompareTo(Urgency other) => /*ORDER*/other.Level.CompareTo(Level);
        }

        public static class Jobs
        {
            [Persistent] static PriorityQueue<Job, Urgency> s_queue = new();
            [Persistent] static OrderedDictionary<JobId, Job> s_byId = new();

            [Export] public static void Add(string name, int cost, int urgency)
            {
                var job = new Job(new JobId(name), cost);
                s_byId.Add(job.Id, job);
                s_queue.Enqueue(job, new Urgency(urgency));
            }

            // What runs next, the order jobs arrived in, and whether the queue and the index share their jobs.
            [Export] public static string Show() =>
                $"{s_queue.Peek().Id.Name} {string.Join(",", s_byId.Keys.Select(k => k.Name))} {s_byId[new JobId("b")].Cost} {ReferenceEquals(s_queue.Peek(), s_byId[s_queue.Peek().Id])} {s_queue.Peek() is Job}";
        }
        """;

    [Fact]
    public async Task AQueueAndAnIndexOfJobsAreRebuiltByTheNewTypesOnAReloadAndThroughASnapshot()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("jobs.cs", Scheduler);
        var snapshot = workspace.PathOf(".state/snapshot.json");
        var engine = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        var add = engine.GetEntryPoint<Action<string, int, int>>("jobs", "Add");
        add.Current("b", 20, 1);
        add.Current("a", 10, 3);
        add.Current("c", 30, 2);
        var show = engine.GetEntryPoint<Func<string>>("jobs", "Show");
        Assert.Equal("a b,a,c 20 True True", show.Current());

        // The urgency's order turns around: the queue is rebuilt under the new CompareTo.
        workspace.Write("jobs.cs", Scheduler.Replace("/*ORDER*/other.Level.CompareTo(Level)", "Level.CompareTo(other.Level)", StringComparison.Ordinal));
        var reversed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(reversed.Succeeded, $"{reversed.Error}\n{string.Join("\n", reversed.Errors)}");
        Assert.Equal("b b,a,c 20 True True", show.Current());

        var saved = await engine.SaveStateSnapshotAsync().WaitAsync(TestTimeouts.Reload);
        Assert.Empty(saved.Skipped);
        await engine.DisposeAsync();

        // A restart whose jobs gained a member: the same queue and index, from the snapshot (which
        // writes each value on its own, so the two no longer share their jobs: docs/STATE.md).
        workspace.Write("jobs.cs", Scheduler.Replace("/*JOB*/", ", int Retries = 0", StringComparison.Ordinal));
        var second = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        Assert.Equal("a b,a,c 20 False True", second.GetEntryPoint<Func<string>>("jobs", "Show").Current());
    }
}
