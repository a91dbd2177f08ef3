using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Molt.Compilation;
using Molt.EntryPoints;
using Molt.Loading;
using Molt.Modules;
using Molt.Reloading;
using Molt.Retirement;
using Molt.State;

namespace Molt;

/// <summary>
/// Hosts reloadable modules: loads them, reloads them as transactions, and gives the permanent
/// part of the program stable entry points into them.
/// </summary>
/// <remarks>
/// A reload compiles, loads and initialises the new generation first; only if all of that
/// succeeds does it switch every entry point at once and retire the old generation. A failed
/// reload changes nothing. Reloads run one at a time; requests that arrive during one coalesce
/// into a single follow-up reload.
/// </remarks>
public sealed partial class MoltEngine : IAsyncDisposable
{
    private readonly MoltOptions _options;
    private readonly ILogger _logger;
    private readonly LiveModules _modules = new();
    private readonly EntryPointRegistry _entries = new();
    private readonly StoreStateAccess _stateAccess = new(new StateStore());
    private readonly UnloadVerifier _verifier;
    private readonly MoltMetrics _metrics;
    private readonly ReloadStages _stages;
    private readonly ReloadQueue _queue;
    private readonly ModuleCompiler _compiler;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly Packages.PackageResolver _packages;
    private ReloadResult? _lastResult;
    private int _started;
    private int _disposed;

    /// <summary>Creates an engine. Nothing loads until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <exception cref="InvalidOperationException">The options are invalid (for example, no modules).</exception>
    public MoltEngine(MoltOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Molt");
        // _queue is assigned below, before anything can retire a generation: the lambda runs only later.
        _verifier = new UnloadVerifier(options, OnCollected, OnLeaked, () => _queue!.WhenIdle());
        _metrics = new MoltMetrics(options.MeterFactory, () => _modules.Current.Count, () => _verifier.Alive.Count);
        CompileServerClient = Compilation.Server.CompileServerClient.For(options, _logger);
        var compiler = new ModuleCompiler(
            options,
            options.CompilationCachePath is { } cache ? CompilationCache.Open(cache, options.CompilationCacheMaxBytes, _logger) : null,
            new Packages.PackageResolver(options, _logger),
            CompileServerClient);
        _packages = compiler.Packages;
        _compiler = compiler;
        var services = new ReloadServices(options, _logger, _modules, _stateAccess, _entries, new GenerationRetirer(options, _verifier, _logger))
        {
            Contexts = new ContextServices(options.Services ?? EmptyServiceProvider.Instance, _stateAccess, options.TimeProvider, _logger),
        };
        _stages = new ReloadStages(
            services,
            new ReloadPlanner(new ModuleScanner(options), compiler, _modules),
            new CompileStage(compiler, options.Faults),
            new CompilerPriming(compiler, _modules, options.WarmUpCompiler, _logger));
        _queue = new ReloadQueue(ExecuteAsync);
    }

    /// <summary>Raised when a reload starts.</summary>
    public event EventHandler<ReloadingEventArgs>? Reloading;

    /// <summary>
    /// Raised on the reloading thread the moment a reload has switched every entry point to the new
    /// generations, before the old ones retire: the place to drop what the host built from the old
    /// generations (routes, caches), so the old generations can be collected. Handlers must be quick
    /// and must not start a reload; what they throw is logged and ignored.
    /// </summary>
    public event EventHandler<SwitchedEventArgs>? Switched;

    /// <summary>Raised after a successful reload (also when it found nothing to change).</summary>
    public event EventHandler<ReloadEventArgs>? Reloaded;

    /// <summary>Raised after a failed reload; the previous generation keeps serving.</summary>
    public event EventHandler<ReloadEventArgs>? ReloadFailed;

    /// <summary>Raised when a retired generation has been collected.</summary>
    public event EventHandler<GenerationEventArgs>? GenerationUnloaded;

    /// <summary>Raised when a retired generation is still alive after the verifier's bounded collections.</summary>
    public event EventHandler<GenerationEventArgs>? GenerationLeaked;

    /// <summary>Gets the engine's generation: one more per successful reload that changed something.</summary>
    public int Generation => _modules.EngineGeneration;

    /// <summary>Gets the options the engine runs with.</summary>
    public MoltOptions Options => _options;

    /// <summary>Gets what is loaded now.</summary>
    public MoltManifest Manifest
    {
        get
        {
            _verifier.Recheck();
            var live = _modules.Current;
            var modules = LiveModules.InLoadOrder(live.Values, live)
                .Select(g => new ModuleInfo(
                    g.Module,
                    g.Source.Kind,
                    g.Number,
                    g.Source.Hash,
                    [.. g.Source.FilePaths],
                    g.LoadedAt,
                    [.. g.Dependencies],
                    [.. g.Exports.Keys.Order(StringComparer.Ordinal)]))
                .ToArray();
            return new MoltManifest(Generation, modules, [.. _verifier.Alive.Select(r => r.ToInfo())], Volatile.Read(ref _lastResult));
        }
    }

    /// <summary>Gets the background work that builds the compilations of modules loaded from the compilation cache (for tests).</summary>
    internal Task Priming => _stages.Priming.Priming;

    /// <summary>
    /// Whether any file <paramref name="result"/>'s reload read has been written, replaced or deleted
    /// since (a failure of a save still in progress is superseded only then).
    /// </summary>
    internal static bool FilesChangedSince(ReloadResult result) =>
        result.FilesRead.Any(f => Modules.FileStamp.Of(f.Path) != f.Stamp);

    /// <summary>Gets how many package restores the engine ran (for tests: a restart on a warm package cache runs none).</summary>
    internal int PackageRestores => _packages.Restores;

    /// <summary>Gets the compile server's client, when compiles go to one (for tests).</summary>
    internal Compilation.Server.CompileServerClient? CompileServerClient { get; }

    /// <summary>Gets how many source files this process holds parsed (for tests: none when compiles go to the server).</summary>
    internal int SyntaxTreesInProcess => _compiler.CachedTrees;

    /// <summary>Gets a live module's image (for tests: the server's image against the in-process compiler's).</summary>
    internal byte[]? ImageOf(string module) => _modules.Current.TryGetValue(module, out var generation) ? generation.Compiled.Image : null;

    /// <summary>Gets the compilation a live module's next edit would reuse (for tests).</summary>
    internal Microsoft.CodeAnalysis.Compilation? CompilationOf(string module) =>
        _modules.Current.TryGetValue(module, out var generation) ? generation.Compiled.Compilation : null;

    /// <summary>
    /// Loads every module for the first time.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the load itself runs to completion or failure.</param>
    /// <returns>The result of the first load.</returns>
    /// <exception cref="MoltReloadException">The first load failed: no generation is serving. Its result carries the diagnostics.</exception>
    /// <exception cref="InvalidOperationException">The engine was already started.</exception>
    public Task<ReloadResult> StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The engine is already started.");
        }

        return Detached.From(StartCoreAsync(cancellationToken));
    }

    private async Task<ReloadResult> StartCoreAsync(CancellationToken cancellationToken)
    {
        var restore = RestoreSnapshot();
        var result = await ReloadAsync("start", cancellationToken).ConfigureAwait(false);
        if (restore.Count > 0)
        {
            result = result with { Diagnostics = [.. restore, .. result.Diagnostics] };
            Volatile.Write(ref _lastResult, result);
        }

        return result.Succeeded ? result : throw new MoltReloadException(result);
    }

    /// <summary>
    /// Reloads whatever changed on disk, as one transaction, and returns what happened. When a
    /// reload is already running, the request joins the single follow-up reload that starts when
    /// it ends (so it sees every change made until then).
    /// </summary>
    /// <param name="trigger">What asks for the reload, for results and logs (<c>api</c> when <see langword="null"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the result; a reload that started runs to its end.</param>
    /// <returns>The reload's result; a failed reload changed nothing.</returns>
    public Task<ReloadResult> ReloadAsync(string? trigger = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _queue.Enqueue(trigger ?? "api", cancellationToken);
    }

    /// <summary>Waits until the background verifier has settled every retired generation (collected or leaked). For tests and tools.</summary>
    /// <returns>A task that completes when the verifier is idle.</returns>
    public Task WhenUnloadsVerifiedAsync() => Detached.From(_verifier.WhenIdleAsync());

    /// <summary>Retires every generation (unload hooks run) and stops the engine.</summary>
    /// <returns>A task that completes when every generation is retired.</returns>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) != 0 ? ValueTask.CompletedTask : new ValueTask(Detached.From(StopAsync()));

    private async Task StopAsync()
    {
        // Priming only speeds up later edits; a stopping engine has none.
        _stages.Priming.Stop();
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_options.StateSnapshotPath is { } path && _options.SnapshotOnStop && !_modules.Current.IsEmpty)
            {
                try
                {
                    WriteSnapshot(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.SnapshotFailed(_logger, path, ex);
                }
            }

            var live = _modules.TakeAll();
            var serving = LiveModules.InLoadOrder(live.Values, live).Reverse().ToArray();
            Switching.HookSwap.Swap(serving, []);
            foreach (var generation in serving)
            {
                await _stages.Services.Retirer.RetireAsync(generation, discarded: false, []).ConfigureAwait(false);
            }
        }
        finally
        {
            _reloadGate.Release();
        }

        await _stages.Priming.DisposeAsync().ConfigureAwait(false);
        _stateAccess.Store.Dispose();
        _stages.Services.Images.Dispose();
        _metrics.Dispose();
    }

    private async Task<ReloadResult> ExecuteAsync(string trigger)
    {
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            s_inReload.Value = true;
            Raise(Reloading, new ReloadingEventArgs(trigger), nameof(Reloading));
            using var activity = ReloadTelemetry.Start(trigger);
            var result = await new ReloadTransaction(_stages, trigger, OnSwitched).RunAsync().ConfigureAwait(false);
            ReloadTelemetry.Finish(activity, result);
            Finish(result);
            return result;
        }
        finally
        {
            s_inReload.Value = false;
            _reloadGate.Release();
        }
    }
}
