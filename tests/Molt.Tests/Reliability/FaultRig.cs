using Molt.Reloading;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>
/// A realistic host for the fault table: a module <c>core</c> and a dependent <c>app</c> whose
/// persistent state is a record it defines, whose load hook attaches to a host hook and starts a
/// timer, and whose exports the host calls through entry points.
/// </summary>
internal sealed class FaultRig : IAsyncDisposable
{
    private const string CoreSource = """
        public static class Core
        {
            public static string Version() => "core-vVERSION";
        }
        """;

    private const string AppSource = """
        [assembly: DependsOn("core")]

        public sealed record Tally(int Count, string Note);

        public static class App
        {
            private static IPersistentState<Tally>? s_tally;
            [Export] public static string Read() => Core.Version() + "|app-vVERSION|" + s_tally!.Value.Count;
            [Export] public static int Bump() => s_tally!.Update(t => t with { Count = t.Count + 1 }).Count;
            internal static void Attach(IPersistentState<Tally> tally) => s_tally = tally;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                App.Attach(context.State("tally", () => new Tally(0, "none")));
                var host = (Molt.Tests.Reliability.FaultHost)context.Services.GetService(typeof(Molt.Tests.Reliability.FaultHost))!;
                context.Attach(host.Ping, seen => seen.Add("app-vVERSION"));
                context.StartTimer(() => host.Tick("app-vVERSION"), TimeSpan.Zero, TimeSpan.FromMilliseconds(15));
                return ValueTask.CompletedTask;
            }
        }
        """;

    private readonly ModuleWorkspace _workspace = new();
    private readonly Lock _gate = new();
    private readonly List<string> _unloaded = [];
    private readonly List<string> _leaked = [];
    private TaskCompletionSource? _unloadWaiter;
    private int _unloadTarget;

    private FaultRig()
    {
    }

    public MoltEngine Engine { get; private set; } = null!;

    public ReloadFaults Faults { get; } = new();

    public FaultHost Host { get; } = new();

    public EntryPoint<Func<string>> Read { get; private set; } = null!;

    public EntryPoint<Func<int>> Bump { get; private set; } = null!;

    public IReadOnlyList<string> Leaked
    {
        get
        {
            lock (_gate)
            {
                return [.. _leaked];
            }
        }
    }

    /// <summary>What <c>Read</c> returns from generation <paramref name="version"/> with the tally at <paramref name="count"/>.</summary>
    public static string Value(int version, int count) => $"core-v{version}|app-v{version}|{count}";

    public static string App(int version) => $"app-v{version}";

    public static async Task<FaultRig> StartAsync(TimeSpan loadTimeout)
    {
        var rig = new FaultRig();
        rig.Edit(1);
        rig.Engine = await rig._workspace.StartAsync(o =>
        {
            o.Services = rig.Host;
            o.Faults = rig.Faults;
            o.LoadTimeout = loadTimeout;
            // Looks every half second for ten seconds: a generation a hang keeps alive for a while is seen soon after it goes.
            o.UnloadVerificationTimeout = TimeSpan.FromSeconds(10);
            o.UnloadVerificationCollections = 20;
        });
        rig.Engine.GenerationUnloaded += (_, e) => rig.OnUnloaded($"{e.Module}#{e.Generation}");
        rig.Engine.GenerationLeaked += (_, e) => rig.OnLeaked($"{e.Module}#{e.Generation}: {e.Message}");
        rig.Read = rig.Engine.GetEntryPoint<Func<string>>("app", "Read");
        rig.Bump = rig.Engine.GetEntryPoint<Func<int>>("app", "Bump");
        return rig;
    }

    /// <summary>Writes version <paramref name="version"/> of both modules.</summary>
    public void Edit(int version)
    {
        var text = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _workspace.Write("core.cs", CoreSource.Replace("VERSION", text, StringComparison.Ordinal));
        _workspace.Write("app.cs", AppSource.Replace("VERSION", text, StringComparison.Ordinal));
    }

    /// <summary>
    /// Waits until exactly <paramref name="expected"/> generations were unloaded and the verifier is idle,
    /// then checks that nothing else was unloaded, nothing leaked and nothing retired is still alive.
    /// </summary>
    public async Task AssertUnloadedAsync(IReadOnlyCollection<string> expected)
    {
        Task reached;
        lock (_gate)
        {
            _unloadTarget = expected.Count;
            _unloadWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reached = _unloaded.Count + _leaked.Count >= expected.Count ? Task.CompletedTask : _unloadWaiter.Task;
        }

        await reached.WaitAsync(TestTimeouts.Verification);
        await Engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        lock (_gate)
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), _unloaded.Order(StringComparer.Ordinal));
        }

        Assert.Empty(Leaked);
        Assert.Empty(Engine.Manifest.RetiredAlive);
    }

    public async ValueTask DisposeAsync() => await _workspace.DisposeAsync();

    private void OnUnloaded(string generation)
    {
        lock (_gate)
        {
            _unloaded.Add(generation);
            Settled();
        }
    }

    private void OnLeaked(string report)
    {
        lock (_gate)
        {
            _leaked.Add(report);
            Settled();
        }
    }

    /// <summary>A leak settles a generation too: the wait ends and the assertion says what leaked.</summary>
    private void Settled()
    {
        if (_unloadWaiter is { } waiter && _unloaded.Count + _leaked.Count >= _unloadTarget)
        {
            waiter.TrySetResult();
        }
    }
}
